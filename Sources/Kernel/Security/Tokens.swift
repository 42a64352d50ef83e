import Crypto
import Foundation

/// Opaque bearer tokens: 32 random bytes, shown once to their holder and stored only as a SHA-256 hash.
public enum Tokens {
    /// Prefix of tokens a user gets at login.
    public static let userPrefix = "crmu_"
    /// Prefix of tokens issued to SaaS operators.
    public static let operatorPrefix = "crmo_"

    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + base64URL(Data(bytes))
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> String {
        // Lower-case hex, by table: `String(format:)` per byte would cost more than the digest.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Compares two secrets in time that depends on neither where they differ nor their lengths
    /// (their digests are compared, byte by byte to the end).
    public static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(SHA256.hash(data: Data(a.utf8))), Array(SHA256.hash(data: Data(b.utf8))))
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A readable random password for accounts created without one (shown once, to be changed).
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<3).map { _ in String((0..<5).map { _ in alphabet.randomElement(using: &generator)! }) }
        return groups.joined(separator: "-")
    }
}
