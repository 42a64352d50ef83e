import Contracts
import Crypto
import Foundation
import Storage

/// Encrypts secrets at rest (an SMTP password, a gateway's API key) with AES-GCM under a key from
/// the environment (`CRM_SECRET_KEY`, 32 bytes in base64). Each ciphertext is bound to the place
/// it is stored (tenant, owner, key), so a value copied into another tenant's row does not open.
public struct SecretBox: Sendable {
    /// The key's bytes (`SymmetricKey` itself is not `Sendable`).
    private let keyData: Data
    static let version = "v1:"

    public init(base64Key: String) throws {
        guard let data = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw ConfigurationError("CRM_SECRET_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)")
        }
        keyData = data
    }

    /// A new random key, base64, for `crm secret-key`.
    public static func generateKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// A key for one purpose (signing unsubscribe links, say), derived from this one with HKDF, so
    /// that no two uses share key material. 32 bytes.
    public func derivedKey(for purpose: String) -> Data {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: keyData), info: Data(purpose.utf8), outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
    }

    func seal(_ plaintext: String, boundTo place: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: SymmetricKey(data: keyData), authenticating: Data(place.utf8))
        guard let combined = box.combined else { throw SecretUnreadable() }
        return Self.version + combined.base64EncodedString()
    }

    func open(_ sealed: String, boundTo place: String) throws -> String {
        guard sealed.hasPrefix(Self.version), let data = Data(base64Encoded: String(sealed.dropFirst(Self.version.count))) else {
            throw SecretUnreadable()
        }
        do {
            let plaintext = try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: SymmetricKey(data: keyData), authenticating: Data(place.utf8))
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw SecretUnreadable()
        }
    }
}

/// A stored secret that does not open with this server's key (another key, or a tampered value).
struct SecretUnreadable: Error, CustomStringConvertible {
    var description: String { "a stored secret does not open with CRM_SECRET_KEY (another key, or a changed value)" }
}
