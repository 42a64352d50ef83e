import Contracts
import Crypto
import Foundation
import Kernel
import Queue
import SQLKit
import Storage

/// Meta's webhook for a tenant's WhatsApp number: the `hub.challenge` handshake, then signed
/// notifications (`X-Hub-Signature-256`: HMAC-SHA256 of the raw body with the app secret) of
/// statuses (sent, delivered, read, failed) and of the customer's own messages (which open the
/// 24-hour window, and may opt out).
public struct WhatsAppWebhook: Sendable {
    let database: any Database
    let settings: SettingsService
    let queue: JobQueue
    let jobQueue: String
    let clock: KernelClock

    public enum Refusal: Error, Equatable {
        /// The tenant has not set up WhatsApp (or does not exist).
        case notConfigured
        /// The verify token or the signature does not match.
        case forbidden
        /// The body is not a WhatsApp notification.
        case malformed
    }

    /// What one notification changed.
    public struct Outcome: Sendable, Equatable {
        public var statuses = 0
        public var inbound = 0
        public var optOuts = 0
    }

    /// The handshake: the challenge back when the mode and verify token are right.
    public func verify(tenantID: UUID, mode: String?, token: String?, challenge: String?) async throws -> String {
        guard let expected = try await settings.secret(owner: NotifySettings.owner, key: "whatsapp_verify_token", tenantID: tenantID) else {
            throw Refusal.notConfigured
        }
        guard mode == "subscribe", let token, let challenge, !challenge.isEmpty, challenge.utf8.count <= 200,
              Self.constantTimeEqual(Array(token.utf8), Array(expected.utf8)) else {
            throw Refusal.forbidden
        }
        return challenge
    }

    public func receive(tenantID: UUID, body: Data, signature: String?) async throws -> Outcome {
        guard let secret = try await settings.secret(owner: NotifySettings.owner, key: "whatsapp_app_secret", tenantID: tenantID) else {
            throw Refusal.notConfigured
        }
        guard let signature, Self.valid(signature: signature, body: body, secret: secret) else { throw Refusal.forbidden }
        guard let notification = try? JSONDecoder().decode(Notification.self, from: body), notification.object == "whatsapp_business_account" else {
            throw Refusal.malformed
        }
        // Only this tenant's number: tenants that share a Meta app (one secret) cannot speak for each other.
        let number = try await settings.values(owner: NotifySettings.owner, tenantID: tenantID).text("whatsapp_phone_number_id")
        let values = notification.entry.flatMap { $0.changes ?? [] }.filter { $0.field == "messages" }.compactMap(\.value)
            .filter { number != nil && $0.metadata?.phoneNumberID == number }
        let now = clock.now()
        let (queue, jobQueue) = (self.queue, self.jobQueue)
        var (outcome, early) = try await database.transaction(.tenant(tenantID)) { sql in
            var outcome = Outcome()
            var early: [Notification.Status] = []
            for value in values {
                for status in value.statuses ?? [] {
                    switch try await Self.apply(status: status, tenantID: tenantID, queue: queue, jobQueue: jobQueue, at: now, sql: sql) {
                    case .applied: outcome.statuses += 1
                    case .passedOver: break
                    case .noMessage: early.append(status)
                    }
                }
                for message in value.messages ?? [] {
                    guard let from = message.from, (8...20).contains(from.count), from.allSatisfy(\.isASCII), from.allSatisfy(\.isNumber) else { continue }
                    let phone = "+" + from
                    let at = message.timestamp.flatMap(Double.init).map(Date.init(timeIntervalSince1970:)).map { min($0, now) } ?? now
                    try await sql.raw("""
                        INSERT INTO notify_whatsapp_windows (tenant_id, phone, last_inbound_at) VALUES (\(bind: tenantID), \(bind: phone), \(bind: at))
                        ON CONFLICT (tenant_id, phone) DO UPDATE SET last_inbound_at = excluded.last_inbound_at
                        WHERE notify_whatsapp_windows.last_inbound_at < excluded.last_inbound_at
                        """).run()
                    outcome.inbound += 1
                    if let text = message.text?.body, OptOut.isOptOut(text) {
                        outcome.optOuts += try await OptOut.apply(phone: phone, channel: .whatsapp, source: .whatsAppReply, text: text,
                                                                  tenantID: tenantID, at: now, sql: sql)
                    }
                }
            }
            return (outcome, early)
        }
        if !early.isEmpty {
            outcome.statuses += try await hold(early, tenantID: tenantID, at: now)
        }
        return outcome
    }

    /// Applies one status to its message; a failure makes the message's job run again, which
    /// retries WhatsApp (a rate limit) or goes on to the next channel (anything else). A status that
    /// waited for its send is dated when it is applied, right after the send is recorded: its
    /// delivery time is never before the send's.
    static func apply(status: Notification.Status, tenantID: UUID, queue: JobQueue, jobQueue: String, at now: Date,
                      sql: any SQLDatabase) async throws -> Applied {
        let id = status.id
        // Only these move a message on; `sent` repeats what the send's answer said.
        guard id.count <= 200, let state = MessageStatus(rawValue: status.status), [.delivered, .read, .failed].contains(state) else {
            return .passedOver
        }
        guard let row = try await sql.raw("""
            SELECT id, status, dedupe_key, order_id, message FROM notify_messages
            WHERE tenant_id = \(bind: tenantID) AND provider = 'whatsapp_cloud' AND provider_id = \(bind: id) \(SQLLockingClause.update)
            """).first() else { return .noMessage }
        let messageID = try row.decode(column: "id", as: UUID.self)
        let current = try StoredValue.parse(MessageStatus.self, try row.decode(column: "status", as: String.self), column: "notify_messages.status")
        switch state {
        case .delivered where current == .sent:
            try await sql.raw("""
                UPDATE notify_messages SET status = 'delivered', delivered_at = \(bind: now), updated_at = \(bind: now)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: messageID)
                """).run()
        case .read where current == .sent || current == .delivered:
            try await sql.raw("""
                UPDATE notify_messages SET status = 'read', delivered_at = COALESCE(delivered_at, \(bind: now)), updated_at = \(bind: now)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: messageID)
                """).run()
        case .failed where current == .sent || current == .delivered:
            let error = status.errors?.first
            let code = error?.code ?? 0
            let details = error?.errorData?.details ?? error?.title ?? "failed"
            let retry: Bool
            if case .retry = WhatsAppCloud.outcome(code: code) { retry = true } else { retry = false }
            try await MessageLog.mark(messageID, retry ? .retrying : .failed, reason: "WhatsApp error \(code): \(details.prefix(200))",
                                      tenantID: tenantID, at: now, sql: sql)
            try await OrderMessageJob.resend(row, queue: jobQueue, tenantID: tenantID, runAt: retry ? now.addingTimeInterval(30) : nil,
                                             on: queue, sql: sql)
        default:
            return .passedOver
        }
        return .applied
    }

    /// What became of one status.
    enum Applied {
        /// It moved its message on.
        case applied
        /// Its message is past it (a status repeated or out of order), or it is of no interest.
        case passedOver
        /// No send of this message id is on record yet.
        case noMessage
    }

    /// The parts of a notification this server reads.
    struct Notification: Decodable, Sendable {
        struct Entry: Decodable, Sendable { let changes: [Change]? }
        struct Change: Decodable, Sendable {
            let field: String
            let value: Value?
        }
        struct Value: Decodable, Sendable {
            struct Metadata: Decodable, Sendable {
                let phoneNumberID: String?
                enum CodingKeys: String, CodingKey { case phoneNumberID = "phone_number_id" }
            }
            let metadata: Metadata?
            let statuses: [Status]?
            let messages: [Inbound]?
        }
        struct Status: Decodable, Sendable {
            let id: String
            let status: String
            let errors: [Failure]?
        }
        struct Failure: Decodable, Sendable {
            init(code: Int?, title: String?, errorData: Data?) {
                self.code = code
                self.title = title
                self.errorData = errorData
            }

            struct Data: Decodable, Sendable { let details: String? }
            let code: Int?
            let title: String?
            let errorData: Data?
            enum CodingKeys: String, CodingKey { case code, title, errorData = "error_data" }
        }
        struct Inbound: Decodable, Sendable {
            struct Text: Decodable, Sendable { let body: String? }
            let from: String?
            let timestamp: String?
            let text: Text?
        }
        let object: String
        let entry: [Entry]
    }

    static func valid(signature: String, body: Data, secret: String) -> Bool {
        guard signature.hasPrefix("sha256="), let mac = hexBytes(signature.dropFirst(7)), mac.count == 32 else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in text.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let value = high { bytes.append(value << 4 | nibble); high = nil } else { high = nibble }
        }
        return high == nil ? bytes : nil
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
