import Contracts
import Logging
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a tenant's SMTP relay is, once its name is resolved. A tenant types the host into its
/// settings, so unless the operator allows it (`CRM_SMTP_PRIVATE_HOSTS`, for a relay on the
/// server's own network and for tests) the server talks only to public addresses: not to itself,
/// its private network, link-local metadata services or multicast. The address checked is the
/// addresses connected to, so a name that resolves differently a moment later changes nothing.
enum RelayAddress {
    /// The relay's addresses, in the resolver's order; `SendFailure.permanent` when one of them is
    /// not public and private ones are not allowed, `.retry` when the name does not resolve now.
    static func resolve(host: String, port: Int, allowPrivate: Bool) async throws -> [SocketAddress] {
        let addresses: [SocketAddress]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try lookUp(host: host, port: port) }
        } catch {
            throw SendFailure.retry("the SMTP host \(host.prefix(100)) could not be resolved: \(error)", after: nil)
        }
        if !allowPrivate, let refused = addresses.first(where: { !isPublic($0) }) {
            // The address is the operator's to see, not the tenant's: the reason goes on the customer
            // card, and would tell a tenant what names resolve to inside the server's network.
            logger.warning("SMTP relay refused: not a public address",
                           metadata: ["host": .string(String(host.prefix(100))), "address": .string(refused.ipAddress ?? "?")])
            throw SendFailure.permanent("the SMTP host \(host.prefix(100)) is on a private, loopback or reserved network; "
                                        + "only public mail servers are used")
        }
        return addresses
    }

    private static let logger = Logger(label: "crm.notify.smtp")

    /// Every IPv4 and IPv6 address `host` has (getaddrinfo, so /etc/hosts and literals too).
    private static func lookUp(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0 else { throw LookUpError(text: String(cString: gai_strerror(code))) }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let entry = next?.pointee {
            next = entry.ai_next
            guard let raw = entry.ai_addr else { continue }
            switch entry.ai_family {
            case AF_INET:
                addresses.append(raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
            case AF_INET6:
                addresses.append(raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
            default:
                continue
            }
        }
        guard !addresses.isEmpty else { throw LookUpError(text: "no IPv4 or IPv6 address") }
        return addresses
    }

    struct LookUpError: Error, CustomStringConvertible {
        let text: String
        var description: String { text }
    }

    /// Whether `address` is a public unicast address.
    static func isPublic(_ address: SocketAddress) -> Bool {
        guard let text = address.ipAddress else { return false }  // a Unix socket
        var bytes = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &bytes) == 1 { return isPublic(v6: bytes) }
        guard inet_pton(AF_INET, text, &bytes) == 1 else { return false }
        return isPublic(v4: bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) })
    }

    /// IPv4, the address as a number: none of this-network, private (RFC 1918), shared (CGNAT),
    /// loopback, link-local, IETF protocol assignments, benchmarking, documentation, multicast or reserved.
    static func isPublic(v4 address: UInt32) -> Bool {
        let blocked: [(UInt32, Int)] = [
            (0x0000_0000, 8), (0x0A00_0000, 8), (0x6440_0000, 10), (0x7F00_0000, 8), (0xA9FE_0000, 16),
            (0xAC10_0000, 12), (0xC000_0000, 24), (0xC000_0200, 24), (0xC0A8_0000, 16), (0xC612_0000, 15),
            (0xC633_6400, 24), (0xCB00_7100, 24), (0xE000_0000, 4), (0xF000_0000, 4),
        ]
        return !blocked.contains { network, bits in address >> (32 - bits) == network >> (32 - bits) }
    }

    /// IPv6, 16 bytes: global unicast (2000::/3) outside documentation space, or an IPv4-mapped or
    /// NAT64 address whose IPv4 address is public.
    static func isPublic(v6 bytes: [UInt8]) -> Bool {
        guard bytes.count == 16 else { return false }
        let embedded = UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15])
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return isPublic(v4: embedded) }  // ::ffff:a.b.c.d
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0][...] { return isPublic(v4: embedded) }  // 64:ff9b::a.b.c.d
        guard bytes[0] & 0xE0 == 0x20 else { return false }  // not 2000::/3: loopback, unique local, link-local, multicast, reserved
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return false }  // 2001:db8::/32
        return true
    }
}
