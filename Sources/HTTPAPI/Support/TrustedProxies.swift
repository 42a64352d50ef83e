import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The proxies whose `X-Forwarded-For` is believed (`CRM_TRUSTED_PROXIES`, addresses or CIDR
/// ranges). The client is the right-most address of the chain that is not one of them: entries to
/// its left were written by the client and prove nothing. A request whose peer is not a trusted
/// proxy is taken at its word's peer address, whatever it says.
public struct TrustedProxies: Sendable, Equatable {
    let ranges: [IPRange]

    public static let none = TrustedProxies(ranges: [])

    /// Parses `10.0.0.0/8, 127.0.0.1, ::1`; throws naming the entry that is not an address or range.
    public init(parsing list: String) throws {
        ranges = try list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { entry in
            guard let range = IPRange(entry) else { throw InvalidProxyEntry(entry: entry) }
            return range
        }
    }

    init(ranges: [IPRange]) {
        self.ranges = ranges
    }

    public struct InvalidProxyEntry: Error, CustomStringConvertible {
        public let entry: String
        public var description: String { "'\(entry)' is not an IP address or CIDR range" }
    }

    func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy, in which case the
    /// right-most untrusted entry of `forwardedFor` (all such headers, in order). An entry that is
    /// not an IP address ends the walk at the last trusted hop.
    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer else { return nil }
        // A dotted IPv4 peer with no proxies to trust is its own answer: the socket spells it one way.
        if ranges.isEmpty, peer.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return peer
        }
        // One spelling per address (::ffff:1.2.3.4 is 1.2.3.4), so the throttle sees one key.
        guard let peerAddress = IPAddress(peer) else { return peer }
        guard trusts(peerAddress) else { return peerAddress.description }
        var client = peerAddress
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { break }
            client = address
            if !trusts(address) { break }
        }
        return client.description
    }
}

/// An IPv4 or IPv6 address as its bytes (4 or 16).
struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(_ text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if text.contains("."), !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: &v6) { Array($0) }
        // An IPv4 address seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 address.
        if raw[0..<10].allSatisfy({ $0 == 0 }) && raw[10] == 0xff && raw[11] == 0xff {
            bytes = Array(raw[12..<16])
        } else {
            bytes = raw
        }
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(cString: buffer)
    }
}

/// An address with a prefix length: `10.0.0.0/8`, `::1/128`; a bare address is the whole length.
struct IPRange: Sendable, Equatable {
    let base: IPAddress
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let base = IPAddress(String(parts[0])) else { return nil }
        let bits = base.bytes.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            self.prefix = bits
        }
        self.base = base
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var left = prefix
        for (a, b) in zip(address.bytes, base.bytes) where left > 0 {
            let mask: UInt8 = left >= 8 ? 0xff : ~(0xff >> UInt8(left))
            if a & mask != b & mask { return false }
            left -= 8
        }
        return true
    }
}
