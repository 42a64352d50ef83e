import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Where a message is.
public enum MessageStatus: String, Sendable, Codable, CaseIterable {
    /// Handed to the provider; its answer not yet recorded.
    case sending
    /// The provider failed for now; the job tries again.
    case retrying
    /// The provider took it.
    case sent
    /// The provider reports it reached the customer's phone or inbox.
    case delivered
    /// WhatsApp: the customer read it.
    case read
    /// Not delivered, for good (a permanent provider error or a failed delivery report).
    case failed
    /// Not sent, on purpose: no consent, no address, the channel not set up; `reason` says which.
    case skipped
    /// Handed to the provider, and the worker stopped before it could record the answer: the
    /// provider may well have sent it, so it is never sent again.
    case unconfirmed

    /// A status after which the message counts as sent (and is never sent again).
    var counts: Bool { self == .sending || self == .sent || self == .delivered || self == .read || self == .unconfirmed }
}

/// One message on the customer card.
public struct MessageRecord: Sendable, Codable, Equatable {
    public let id: UUID
    public let customerId: UUID
    public let orderId: UUID?
    public let message: String
    public let purpose: MessagePurpose
    public let channel: MessageChannel
    public let recipient: String?
    public let text: String?
    public let encoding: String?
    public let segments: Int?
    public let costUnits: Int?
    public let status: MessageStatus
    public let reason: String?
    public let provider: String?
    public let providerId: String?
    public let attempts: Int
    public let createdAt: Date
    public let updatedAt: Date
    public let sentAt: Date?
    public let deliveredAt: Date?
}

/// The SQL of the message log.
enum MessageLog {
    static let columns = """
        id, customer_id, order_id, message, purpose, channel, recipient, body, encoding, segments, cost_units, status, reason,
        provider, provider_id, attempts, created_at, updated_at, sent_at, delivered_at
        """

    static func byKey(_ key: String, tenantID: UUID, sql: any SQLDatabase) async throws -> [MessageRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM notify_messages WHERE tenant_id = \(bind: tenantID) AND dedupe_key = \(bind: key)
            """).all().map(record)
    }

    /// The rows of many messages, by key.
    static func byKeys(_ keys: [String], tenantID: UUID, sql: any SQLDatabase) async throws -> [String: [MessageRecord]] {
        guard !keys.isEmpty else { return [:] }
        var result: [String: [MessageRecord]] = [:]
        for row in try await sql.raw("""
            SELECT dedupe_key, \(unsafeRaw: columns) FROM notify_messages WHERE tenant_id = \(bind: tenantID) AND dedupe_key \(SQLOneOf(keys))
            """).all() {
            result[try row.decode(column: "dedupe_key", as: String.self), default: []].append(try record(row))
        }
        return result
    }

    struct Attempt {
        let id: UUID
        let key: String
        let customerID: UUID
        let orderID: UUID?
        let message: MessageKind
        let purpose: MessagePurpose
        let channel: MessageChannel
        let recipient: String?
        let text: String?
        let sms: SMSText?
        let provider: String?
        let jobID: Int64
    }

    /// Writes (or takes up again) the row of one channel's attempt in `status`. Taking a row up
    /// again is a compare-and-set on the status it was read in: false when another run moved it
    /// on meanwhile (and this one must not send).
    @discardableResult
    static func write(_ attempt: Attempt, status: MessageStatus, reason: String?, existing: MessageRecord?, tenantID: UUID,
                      at now: Date, sql: any SQLDatabase) async throws -> Bool {
        let tries = status == .sending ? 1 : 0
        if let existing {
            return try await sql.raw("""
                UPDATE notify_messages SET status = \(bind: status.rawValue), reason = \(bind: reason), recipient = \(bind: attempt.recipient),
                    body = \(bind: attempt.text), encoding = \(bind: attempt.sms?.encoding.rawValue), segments = \(bind: attempt.sms?.segments),
                    provider = \(bind: attempt.provider), attempts = attempts + \(bind: tries), job_id = \(bind: attempt.jobID), updated_at = \(bind: now)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: existing.id) AND status = \(bind: existing.status.rawValue)
                RETURNING id
                """).first() != nil
        }
        try await sql.raw("""
            INSERT INTO notify_messages (tenant_id, id, dedupe_key, customer_id, order_id, message, purpose, channel, recipient, body,
                                         encoding, segments, status, reason, provider, attempts, job_id, created_at, updated_at)
            VALUES (\(bind: tenantID), \(bind: attempt.id), \(bind: attempt.key), \(bind: attempt.customerID), \(bind: attempt.orderID),
                    \(bind: attempt.message.id), \(bind: attempt.purpose.rawValue), \(bind: attempt.channel.rawValue), \(bind: attempt.recipient),
                    \(bind: attempt.text), \(bind: attempt.sms?.encoding.rawValue), \(bind: attempt.sms?.segments), \(bind: status.rawValue),
                    \(bind: reason), \(bind: attempt.provider), \(bind: tries), \(bind: attempt.jobID), \(bind: now), \(bind: now))
            """).run()
        return true
    }

    /// Writes the rows of many first attempts as `sending`, in one statement, and commits them;
    /// returns the ids written. A message whose row exists already (another run of its job wrote
    /// it meanwhile) is left out, and must not be sent by this run.
    static func claim(_ attempts: [Attempt], tenantID: UUID, at now: Date, database: any Database) async throws -> Set<UUID> {
        guard !attempts.isEmpty else { return [] }
        do {
            // The rows were just read as missing, so they almost always are: a plain insert. On
            // PostgreSQL, `ON CONFLICT` would probe each unique index before inserting into it.
            return try await database.transaction(.tenant(tenantID)) { sql in
                try await insert(attempts, tenantID: tenantID, at: now, skippingExisting: false, sql: sql)
            }
        } catch where ConstraintViolation.isUnique(error) {
            return try await database.transaction(.tenant(tenantID)) { sql in
                try await insert(attempts, tenantID: tenantID, at: now, skippingExisting: true, sql: sql)
            }
        }
    }

    private static func insert(_ attempts: [Attempt], tenantID: UUID, at now: Date, skippingExisting: Bool,
                               sql: any SQLDatabase) async throws -> Set<UUID> {
        let conflict: SQLQueryString = skippingExisting ? "ON CONFLICT DO NOTHING" : ""
        let columns = """
            tenant_id, id, dedupe_key, customer_id, order_id, message, purpose, channel, recipient, body,
            encoding, segments, status, reason, provider, attempts, job_id, created_at, updated_at
            """
        let rows: [any SQLRow]
        if sql.dialect.name == "postgresql" {
            // One array per column (a dozen parameters however many rows); nil travels as '' or 0.
            let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            rows = try await sql.raw("""
                INSERT INTO notify_messages (\(unsafeRaw: columns))
                SELECT \(bind: tenantID), x.id, x.k, x.c, NULLIF(x.o, \(bind: none)), x.m, x.p, x.ch, NULLIF(x.r, ''), NULLIF(x.b, ''),
                       NULLIF(x.e, ''), NULLIF(x.s, 0), 'sending', NULL, NULLIF(x.pr, ''), 1, x.j, \(bind: now), \(bind: now)
                FROM unnest(\(bind: attempts.map(\.id)), \(bind: attempts.map(\.key)), \(bind: attempts.map(\.customerID)),
                            \(bind: attempts.map { $0.orderID ?? none }), \(bind: attempts.map(\.message.id)), \(bind: attempts.map(\.purpose.rawValue)),
                            \(bind: attempts.map(\.channel.rawValue)), \(bind: attempts.map { $0.recipient ?? "" }), \(bind: attempts.map { $0.text ?? "" }),
                            \(bind: attempts.map { $0.sms?.encoding.rawValue ?? "" }), \(bind: attempts.map { $0.sms?.segments ?? 0 }),
                            \(bind: attempts.map { $0.provider ?? "" }), \(bind: attempts.map(\.jobID)))
                     AS x(id, k, c, o, m, p, ch, r, b, e, s, pr, j)
                \(conflict)
                RETURNING id
                """).all()
        } else {
            var values: SQLQueryString = ""
            for (index, attempt) in attempts.enumerated() {
                if index > 0 { values.appendLiteral(", ") }
                values.appendInterpolation("""
                    (\(bind: tenantID), \(bind: attempt.id), \(bind: attempt.key), \(bind: attempt.customerID), \(bind: attempt.orderID),
                     \(bind: attempt.message.id), \(bind: attempt.purpose.rawValue), \(bind: attempt.channel.rawValue), \(bind: attempt.recipient),
                     \(bind: attempt.text), \(bind: attempt.sms?.encoding.rawValue), \(bind: attempt.sms?.segments), 'sending', NULL,
                     \(bind: attempt.provider), 1, \(bind: attempt.jobID), \(bind: now), \(bind: now))
                    """ as SQLQueryString)
            }
            rows = try await sql.raw("""
                INSERT INTO notify_messages (\(unsafeRaw: columns)) VALUES \(values)
                \(conflict)
                RETURNING id
                """).all()
        }
        return Set(try rows.map { try $0.decode(column: "id", as: UUID.self) })
    }

    static func mark(_ id: UUID, _ status: MessageStatus, reason: String?, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE notify_messages SET status = \(bind: status.rawValue), reason = \(bind: reason), updated_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)
            """).run()
    }

    static func sent(_ id: UUID, accepted: Accepted, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        try await sent([(id, accepted)], tenantID: tenantID, at: now, sql: sql)
    }

    /// Records many providers' acceptances: one statement for the messages that share a provider id and a cost.
    static func sent(_ messages: [(id: UUID, accepted: Accepted)], tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        for (accepted, group) in Dictionary(grouping: messages, by: \.accepted) {
            try await sql.raw("""
                UPDATE notify_messages SET status = 'sent', reason = NULL, provider_id = \(bind: accepted.providerID),
                    cost_units = \(bind: accepted.costUnits), sent_at = \(bind: now), updated_at = \(bind: now)
                WHERE tenant_id = \(bind: tenantID) AND id \(SQLOneOf(group.map(\.id)))
                """).run()
        }
    }

    static func forCustomer(_ customerID: UUID, tenantID: UUID, limit: Int, sql: any SQLDatabase) async throws -> [MessageRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM notify_messages WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID)
            ORDER BY created_at DESC, id \(SQLLimit(limit))
            """).all().map(record)
    }

    static func record(_ row: any SQLRow) throws -> MessageRecord {
        MessageRecord(
            id: try row.decode(column: "id", as: UUID.self),
            customerId: try row.decode(column: "customer_id", as: UUID.self),
            orderId: try row.decode(column: "order_id", as: UUID?.self),
            message: try row.decode(column: "message", as: String.self),
            purpose: try StoredValue.parse(MessagePurpose.self, try row.decode(column: "purpose", as: String.self), column: "notify_messages.purpose"),
            channel: try StoredValue.parse(MessageChannel.self, try row.decode(column: "channel", as: String.self), column: "notify_messages.channel"),
            recipient: try row.decode(column: "recipient", as: String?.self),
            text: try row.decode(column: "body", as: String?.self),
            encoding: try row.decode(column: "encoding", as: String?.self),
            segments: try row.decode(column: "segments", as: Int?.self),
            costUnits: try row.decode(column: "cost_units", as: Int?.self),
            status: try StoredValue.parse(MessageStatus.self, try row.decode(column: "status", as: String.self), column: "notify_messages.status"),
            reason: try row.decode(column: "reason", as: String?.self),
            provider: try row.decode(column: "provider", as: String?.self),
            providerId: try row.decode(column: "provider_id", as: String?.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self),
            sentAt: try row.decode(column: "sent_at", as: Date?.self),
            deliveredAt: try row.decode(column: "delivered_at", as: Date?.self)
        )
    }
}
