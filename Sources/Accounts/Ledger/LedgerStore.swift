import Contracts
import Foundation
import SQLKit
import Storage

/// The SQL of the account entries. Entries are only ever inserted; every figure is a sum of them.
enum LedgerStore {
    static let columns = "id, customer_id, kind, amount, method, order_id, corrects_id, reason, occurred_at, recorded_by, recorded_at"
    /// The largest balance an account may reach either way, far below where a sum could overflow.
    static let maximumBalance = Money(minorUnits: Money.maximum.minorUnits * 1_000)

    struct NewEntry {
        var customerID: UUID
        var kind: AccountEntry.Kind
        var amount: Money
        var method: PaymentMethod? = nil
        var orderID: UUID? = nil
        var correctsID: UUID? = nil
        var reason: String? = nil
        /// Set for what posts itself, so that it posts once (`storage:<order>:<period>`).
        var sourceKey: String? = nil
        var occurredAt: Date
        var recordedBy: String
    }

    /// Appends `entry`; refuses one that would take the balance past `maximumBalance`.
    static func append(_ entry: NewEntry, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws -> AccountEntry {
        let balance = try await self.balance(customerID: entry.customerID, tenantID: tenantID, sql: sql)
        let after = balance + entry.amount
        guard !after.overflowed, abs(after.minorUnits) <= maximumBalance.minorUnits else {
            throw DomainError(.amountTooLarge, "This entry would take the account past \(maximumBalance.turkish) either way.")
        }
        let id = UUID()
        try await sql.raw("""
            INSERT INTO account_entries (tenant_id, id, customer_id, kind, amount, method, order_id, corrects_id, reason, source_key,
                                         occurred_at, recorded_by, recorded_at)
            VALUES (\(bind: tenantID), \(bind: id), \(bind: entry.customerID), \(bind: entry.kind.rawValue), \(bind: entry.amount.minorUnits),
                    \(bind: entry.method?.rawValue), \(bind: entry.orderID), \(bind: entry.correctsID), \(bind: entry.reason),
                    \(bind: entry.sourceKey), \(bind: entry.occurredAt), \(bind: entry.recordedBy), \(bind: now))
            """).run()
        return AccountEntry(id: id, customerId: entry.customerID, kind: entry.kind, amount: entry.amount, method: entry.method,
                            orderId: entry.orderID, correctsId: entry.correctsID, reason: entry.reason, occurredAt: entry.occurredAt,
                            recordedBy: entry.recordedBy, recordedAt: now)
    }

    /// Appends an entry that posts itself (it has a `sourceKey`) unless one with that key exists:
    /// a concurrent writer of the same key waits for the first to commit and then inserts nothing.
    /// Returns whether this call posted it.
    static func appendOnce(_ entry: NewEntry, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws -> Bool {
        guard let key = entry.sourceKey, entry.amount.minorUnits.magnitude <= Money.maximum.minorUnits.magnitude else { return false }
        let row = try await sql.raw("""
            INSERT INTO account_entries (tenant_id, id, customer_id, kind, amount, method, order_id, corrects_id, reason, source_key,
                                         occurred_at, recorded_by, recorded_at)
            VALUES (\(bind: tenantID), \(bind: UUID()), \(bind: entry.customerID), \(bind: entry.kind.rawValue), \(bind: entry.amount.minorUnits),
                    \(bind: entry.method?.rawValue), \(bind: entry.orderID), NULL, \(bind: entry.reason), \(bind: key),
                    \(bind: entry.occurredAt), \(bind: entry.recordedBy), \(bind: now))
            ON CONFLICT (tenant_id, source_key) DO NOTHING
            RETURNING id
            """).first()
        return row != nil
    }

    /// The sum of the customer's entries: of those that happened by `at`, or before `before`, when given.
    static func balance(customerID: UUID, tenantID: UUID, at: Date? = nil, before: Date? = nil, sql: any SQLDatabase) async throws -> Money {
        let until: any SQLExpression = if let at { SQLQueryString("AND occurred_at <= \(bind: at)") }
            else if let before { SQLQueryString("AND occurred_at < \(bind: before)") } else { SQLRaw("") }
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS balance FROM account_entries
            WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID) \(until)
            """).first()
        return Money(minorUnits: try row?.decode(column: "balance", as: Int.self) ?? 0)
    }

    /// What the account holds for one order's charges (its charge and the charge's later changes).
    static func charged(orderID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> (amount: Money, entries: Int) {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS amount, COUNT(*) AS entries FROM account_entries
            WHERE tenant_id = \(bind: tenantID) AND order_id = \(bind: orderID) AND kind = 'charge'
            """).first()
        return (Money(minorUnits: try row?.decode(column: "amount", as: Int.self) ?? 0), try row?.decode(column: "entries", as: Int.self) ?? 0)
    }

    static func entry(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> AccountEntry? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM account_entries WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)")
            .first().map(decode)
    }

    /// Whether some entry corrects `id`.
    static func isCorrected(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT id FROM account_entries WHERE tenant_id = \(bind: tenantID) AND corrects_id = \(bind: id)").first() != nil
    }

    /// The customer's entries that happened in `from...to` (both optional), oldest first, at most `limit`.
    static func entries(customerID: UUID, tenantID: UUID, from: Date?, to: Date?, limit: Int, sql: any SQLDatabase) async throws -> [AccountEntry] {
        let since: any SQLExpression = from.map { SQLQueryString("AND occurred_at >= \(bind: $0)") } ?? SQLRaw("")
        let until: any SQLExpression = to.map { SQLQueryString("AND occurred_at <= \(bind: $0)") } ?? SQLRaw("")
        return try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM account_entries
            WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID) \(since) \(until)
            ORDER BY occurred_at, recorded_at, id \(SQLLimit(limit))
            """).all().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> AccountEntry {
        AccountEntry(
            id: try row.decode(column: "id", as: UUID.self),
            customerId: try row.decode(column: "customer_id", as: UUID.self),
            kind: AccountEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .adjustment,
            amount: Money(minorUnits: try row.decode(column: "amount", as: Int.self)),
            method: try row.decodeNil(column: "method") ? nil : PaymentMethod(rawValue: try row.decode(column: "method", as: String.self)),
            orderId: try row.decode(column: "order_id", as: UUID?.self),
            correctsId: try row.decode(column: "corrects_id", as: UUID?.self),
            reason: try row.decode(column: "reason", as: String?.self),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self)
        )
    }

    /// Holds the customer's account until the transaction ends, so that a decision on its balance
    /// (a credit limit, an unpaid delivery) is not overtaken by another writer. PostgreSQL takes a
    /// transaction-scoped advisory lock (the customer's row stays free for the order's own foreign
    /// keys); SQLite's single writer serialises write transactions already.
    static func lock(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        _ = try await sql.raw("""
            SELECT pg_advisory_xact_lock(hashtextextended(\(bind: "account:" + tenantID.uuidString + ":" + customerID.uuidString), 0)) AS locked
            """).first()
    }
}
