import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Consent per customer, channel and purpose (KVKK / İYS): an append-only history, and what it
/// allows now. Staff record what the customer said at the counter; the customer's own opt-out (an
/// SMS reply, the e-mail link) is recorded by the worker that reads it.
public struct ConsentService: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock

    public init(database: any Database, customers: CustomerService, clock: KernelClock) {
        self.database = database
        self.customers = customers
        self.clock = clock
    }

    /// Records changes for one customer (a form may change several at once); returns the state after.
    public func record(_ changes: [ConsentChange], customerID: UUID, by principal: Principal) async throws -> [ConsentState] {
        try principal.require(.writeCustomers)
        guard (1...6).contains(changes.count) else {
            throw DomainError.invalid("changes", .invalidParameter, "Send between 1 and 6 consent changes.")
        }
        for (index, change) in changes.enumerated() {
            if let note = change.note, note.unicodeScalars.count > 500 {
                throw DomainError.invalid("changes[\(index)].note", .invalidValue, "A note is at most 500 characters.")
            }
        }
        let customer = try await customers.get(customerID, by: principal)
        let now = clock.now()
        let actor = "user:" + principal.userID.uuidString
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            for change in changes {
                try await Self.append(change, customerID: customerID, tenantID: principal.tenantID, actor: actor, at: now, sql: sql)
            }
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: customer.branchId, actor: principal.actor,
                                      action: "consent.change", entity: "customer", entityID: customerID.uuidString,
                                      after: changes, at: now)
            return try await Self.states(customerID: customerID, tenantID: principal.tenantID, sql: sql)
        }
    }

    public func current(customerID: UUID, by principal: Principal) async throws -> [ConsentState] {
        _ = try await customers.get(customerID, by: principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await Self.states(customerID: customerID, tenantID: principal.tenantID, sql: sql)
        }
    }

    /// Every change, oldest first.
    public func history(customerID: UUID, by principal: Principal) async throws -> [ConsentEntry] {
        _ = try await customers.get(customerID, by: principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT id, customer_id, channel, purpose, granted, source, actor, note, recorded_at FROM notify_consents
                WHERE tenant_id = \(bind: principal.tenantID) AND customer_id = \(bind: customerID) ORDER BY seq
                """).all().map(Self.entry)
        }
    }

    /// The customer's own withdrawal (an SMS reply, the unsubscribe link), in the caller's transaction.
    static func withdraw(_ purposes: [MessagePurpose], channel: MessageChannel, customerID: UUID, tenantID: UUID,
                         source: ConsentSource, note: String?, at now: Date, sql: any SQLDatabase) async throws {
        let latest = try await latestEntries(customerIDs: [customerID], tenantID: tenantID, sql: sql)[customerID] ?? [:]
        for purpose in purposes {
            // Already withdrawn: a repeated click or reply adds nothing to the history.
            if latest[Key(channel: channel, purpose: purpose)]?.granted == false { continue }
            try await append(ConsentChange(channel: channel, purpose: purpose, granted: false, source: source, note: note),
                             customerID: customerID, tenantID: tenantID, actor: "customer", at: now, sql: sql)
        }
    }

    /// Appends one entry. The customer's row is locked first so that entries of one customer are
    /// numbered one after another on PostgreSQL too (SQLite serialises writers anyway).
    static func append(_ change: ConsentChange, customerID: UUID, tenantID: UUID, actor: String, at now: Date, sql: any SQLDatabase) async throws {
        guard try await sql.raw("""
            SELECT id FROM customers WHERE tenant_id = \(bind: tenantID) AND id = \(bind: customerID) \(SQLLockingClause.update)
            """).first() != nil else {
            throw DomainError.notFound("The customer")
        }
        let next = try await sql.raw("""
            SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM notify_consents WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID)
            """).first()?.decode(column: "next", as: Int64.self) ?? 1
        try await sql.raw("""
            INSERT INTO notify_consents (tenant_id, id, customer_id, channel, purpose, granted, source, actor, note, recorded_at, seq)
            VALUES (\(bind: tenantID), \(bind: UUID()), \(bind: customerID), \(bind: change.channel.rawValue), \(bind: change.purpose.rawValue),
                    \(bind: change.granted), \(bind: change.source.rawValue), \(bind: actor), \(bind: change.note), \(bind: now), \(bind: next))
            """).run()
    }

    /// The state of every channel and purpose for one customer.
    static func states(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> [ConsentState] {
        let latest = try await latestEntries(customerIDs: [customerID], tenantID: tenantID, sql: sql)[customerID] ?? [:]
        return MessageChannel.allCases.flatMap { channel in
            MessagePurpose.allCases.map { purpose in
                let entry = latest[Key(channel: channel, purpose: purpose)]
                return ConsentState(channel: channel, purpose: purpose, allowed: ConsentRule.allows(purpose: purpose, latest: entry?.granted),
                                    since: entry?.recordedAt, source: entry?.source)
            }
        }
    }

    struct Key: Hashable {
        let channel: MessageChannel
        let purpose: MessagePurpose
    }

    /// The latest entry per channel and purpose of each customer.
    static func latestEntries(customerIDs: [UUID], tenantID: UUID, sql: any SQLDatabase) async throws -> [UUID: [Key: ConsentEntry]] {
        guard !customerIDs.isEmpty else { return [:] }
        let ids = SQLGroupExpression(customerIDs.map { SQLBind($0) })
        let rows = try await sql.raw("""
            SELECT id, customer_id, channel, purpose, granted, source, actor, note, recorded_at FROM notify_consents c
            WHERE tenant_id = \(bind: tenantID) AND customer_id IN \(ids) AND seq = (SELECT MAX(seq) FROM notify_consents l
                WHERE l.tenant_id = c.tenant_id AND l.customer_id = c.customer_id AND l.channel = c.channel AND l.purpose = c.purpose)
            """).all()
        var result: [UUID: [Key: ConsentEntry]] = [:]
        for row in rows {
            let entry = try entry(row)
            result[entry.customerId, default: [:]][Key(channel: entry.channel, purpose: entry.purpose)] = entry
        }
        return result
    }

    static func entry(_ row: any SQLRow) throws -> ConsentEntry {
        ConsentEntry(
            id: try row.decode(column: "id", as: UUID.self),
            customerId: try row.decode(column: "customer_id", as: UUID.self),
            channel: try StoredValue.parse(MessageChannel.self, try row.decode(column: "channel", as: String.self), column: "channel"),
            purpose: try StoredValue.parse(MessagePurpose.self, try row.decode(column: "purpose", as: String.self), column: "purpose"),
            granted: try row.decode(column: "granted", as: Bool.self),
            source: try StoredValue.parse(ConsentSource.self, try row.decode(column: "source", as: String.self), column: "source"),
            actor: try row.decode(column: "actor", as: String.self),
            note: try row.decode(column: "note", as: String?.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self)
        )
    }
}
