import Contracts
import Crypto
import Foundation
import Kernel
import Mustache
import Storage

/// The link at the foot of a commercial e-mail (and its `List-Unsubscribe` header): it names the
/// tenant and customer, signed (HMAC-SHA256 under a key derived from `CRM_SECRET_KEY`) so that
/// nobody can unsubscribe someone else. Following it asks; posting to it (a button, or a mail
/// client's one-click `List-Unsubscribe-Post`) withdraws commercial e-mail consent at once.
public struct UnsubscribeLinks: Sendable {
    let database: any Database
    let key: Data?
    /// The server's public address (`CRM_PUBLIC_URL`), without a trailing slash.
    let publicURL: String?
    let clock: KernelClock

    /// The link for one customer, or nil when this server cannot make one (no key or public URL).
    func link(tenantID: UUID, customerID: UUID) -> String? {
        guard let key, let publicURL else { return nil }
        var payload = Data()
        withUnsafeBytes(of: tenantID.uuid) { payload.append(contentsOf: $0) }
        withUnsafeBytes(of: customerID.uuid) { payload.append(contentsOf: $0) }
        let mac = Data(HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: key))).prefix(16)
        return "\(publicURL)/api/v1/unsubscribe/\(Self.base64URL(payload)).\(Self.base64URL(mac))"
    }

    /// The tenant and customer a token names, nil when it is not one of ours.
    func parse(_ token: String) -> (tenantID: UUID, customerID: UUID)? {
        guard let key, token.utf8.count <= 120 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.decode(parts[0]), payload.count == 32, let mac = Self.decode(parts[1]), mac.count == 16 else { return nil }
        let expected = Data(HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: key))).prefix(16)
        guard WhatsAppWebhook.constantTimeEqual(Array(expected), Array(mac)) else { return nil }
        let bytes = Array(payload)
        func uuid(_ slice: ArraySlice<UInt8>) -> UUID {
            let b = Array(slice)
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
        return (uuid(bytes[0..<16]), uuid(bytes[16..<32]))
    }

    /// Whether the token is good (for the page that asks).
    public func isValid(_ token: String) -> Bool { parse(token) != nil }

    /// Withdraws the customer's commercial e-mail consent; false for a token that is not ours.
    public func unsubscribe(_ token: String) async throws -> Bool {
        guard let (tenantID, customerID) = parse(token) else { return false }
        let now = clock.now()
        do {
            try await database.transaction(.tenant(tenantID)) { sql in
                try await ConsentService.withdraw([.commercial], channel: .email, customerID: customerID, tenantID: tenantID,
                                                  source: .emailLink, note: "unsubscribe link", at: now, sql: sql)
            }
        } catch let error as DomainError where error.code == .notFound {
            return false
        }
        return true
    }

    /// The page a link opens: a button that posts to it, or what the post did.
    public func page(token: String, done: Bool) -> String {
        Self.pageTemplate.render(["done": done, "valid": isValid(token), "action": "/api/v1/unsubscribe/\(token)"] as [String: Any])
    }

    static let pageTemplate = try! MustacheTemplate(string: String(decoding: PackageResources.unsubscribe_mustache, as: UTF8.self))

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
