import Contracts
import Foundation
import SQLKit
import Storage

/// The SQL of the points entries. Entries are only ever inserted; every figure is a sum of them.
enum PointsStore {
    static let columns = "id, customer_id, kind, points, lot_id, expires_at, order_id, reason, occurred_at, recorded_by"
    /// The most points one movement carries, and the most one customer may hold (loads check it;
    /// a sale earns at most `maximumMovement`).
    static let maximumMovement = 1_000_000_000
    static let maximumBalance = 1_000_000_000_000
    /// What is left of the lot `l`: its own points and those of every entry that names it.
    static let lotRemaining = """
        (l.points + CAST(COALESCE((SELECT SUM(t.points) FROM loyalty_entries t WHERE t.tenant_id = l.tenant_id AND t.lot_id = l.id), 0) AS BIGINT))
        """

    /// The points a purchase of `total` earns: `rate` per whole lira, times `multiplier` per cent
    /// (the customer's tier), at most `maximumMovement`.
    static func earned(on total: Money, rate: Int, multiplier: Int) -> Int {
        guard rate > 0, total.minorUnits >= 100 else { return 0 }
        let (points, overflow) = (total.minorUnits / 100).multipliedReportingOverflow(by: rate * multiplier)
        return overflow ? maximumMovement : min(points / 100, maximumMovement)
    }

    struct NewEntry {
        var customerID: UUID
        var kind: PointsEntry.Kind
        var points: Int
        var lotID: UUID? = nil
        var expiresAt: Date? = nil
        var orderID: UUID? = nil
        var reason: String? = nil
        /// Set for what posts itself (`order:<id>`, `expire:<lot>`), so that it posts once.
        var sourceKey: String? = nil
        var occurredAt: Date
        var recordedBy: String
    }

    /// Inserts `entry`, once for its `sourceKey` when it has one; whether this call inserted it.
    @discardableResult
    static func insert(_ entry: NewEntry, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws -> PointsEntry? {
        let id = UUID()
        let once: any SQLExpression = entry.sourceKey == nil ? SQLRaw("") : SQLRaw("ON CONFLICT (tenant_id, source_key) DO NOTHING")
        let row = try await sql.raw("""
            INSERT INTO loyalty_entries (tenant_id, id, customer_id, kind, points, lot_id, expires_at, order_id, reason, source_key,
                                         occurred_at, recorded_by, recorded_at)
            VALUES (\(bind: tenantID), \(bind: id), \(bind: entry.customerID), \(bind: entry.kind.rawValue), \(bind: entry.points),
                    \(bind: entry.lotID), \(bind: entry.expiresAt), \(bind: entry.orderID), \(bind: entry.reason), \(bind: entry.sourceKey),
                    \(bind: entry.occurredAt), \(bind: entry.recordedBy), \(bind: now))
            \(once)
            RETURNING id
            """).first()
        guard row != nil else { return nil }
        return PointsEntry(id: id, customerId: entry.customerID, kind: entry.kind, points: entry.points, lotId: entry.lotID,
                           expiresAt: entry.expiresAt, orderId: entry.orderID, reason: entry.reason, occurredAt: entry.occurredAt,
                           recordedBy: entry.recordedBy)
    }

    static func balance(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) AS points FROM loyalty_entries
            WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID)
            """).first()
        return try row?.decode(column: "points", as: Int.self) ?? 0
    }

    /// What the customer's lots that have not lapsed by `now` hold.
    static func usable(customerID: UUID, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(\(unsafeRaw: lotRemaining)), 0) AS BIGINT) AS points FROM loyalty_entries l
            WHERE l.tenant_id = \(bind: tenantID) AND l.customer_id = \(bind: customerID) AND l.lot_id IS NULL AND l.expires_at > \(bind: now)
            """).first()
        return try row?.decode(column: "points", as: Int.self) ?? 0
    }

    /// The customer's lots with points left, soonest to lapse first (then oldest first).
    static func lots(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> [PointsLot] {
        try await sql.raw("""
            SELECT l.id, l.kind, l.points, l.occurred_at, l.expires_at,
                   \(unsafeRaw: PointsStore.lotRemaining) AS remaining
            FROM loyalty_entries l
            WHERE l.tenant_id = \(bind: tenantID) AND l.customer_id = \(bind: customerID) AND l.lot_id IS NULL
            ORDER BY l.expires_at, l.occurred_at, l.id
            """).all().compactMap { row in
            let remaining = try row.decode(column: "remaining", as: Int.self)
            guard remaining > 0 else { return nil }
            return PointsLot(id: try row.decode(column: "id", as: UUID.self),
                             kind: PointsEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .load,
                             points: try row.decode(column: "points", as: Int.self), remaining: remaining,
                             earnedAt: try row.decode(column: "occurred_at", as: Date.self),
                             expiresAt: try row.decode(column: "expires_at", as: Date.self))
        }
    }

    /// Lots of a tenant that have lapsed by `now` with points left, at most `limit`, in customer
    /// order (so that their locks are always taken in one order): (customer, lot, remaining).
    static func lapsed(tenantID: UUID, now: Date, limit: Int, sql: any SQLDatabase) async throws -> [(customerID: UUID, lotID: UUID, remaining: Int)] {
        try await sql.raw("""
            SELECT l.customer_id, l.id,
                   \(unsafeRaw: PointsStore.lotRemaining) AS remaining
            FROM loyalty_entries l
            WHERE l.tenant_id = \(bind: tenantID) AND l.lot_id IS NULL AND l.expires_at <= \(bind: now)
              AND \(unsafeRaw: PointsStore.lotRemaining) > 0
            ORDER BY l.customer_id, l.expires_at \(SQLLimit(limit))
            """).all().map { row in
            (try row.decode(column: "customer_id", as: UUID.self), try row.decode(column: "id", as: UUID.self),
             try row.decode(column: "remaining", as: Int.self))
        }
    }

    /// What is left of one lot.
    static func remaining(lotID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) AS remaining FROM loyalty_entries
            WHERE tenant_id = \(bind: tenantID) AND (id = \(bind: lotID) OR lot_id = \(bind: lotID))
            """).first()
        return try row?.decode(column: "remaining", as: Int.self) ?? 0
    }

    /// The customer's latest entries, newest first.
    static func entries(customerID: UUID, tenantID: UUID, limit: Int, sql: any SQLDatabase) async throws -> [PointsEntry] {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM loyalty_entries WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID)
            ORDER BY occurred_at DESC, recorded_at DESC, id \(SQLLimit(limit))
            """).all().map { row in
            PointsEntry(id: try row.decode(column: "id", as: UUID.self), customerId: try row.decode(column: "customer_id", as: UUID.self),
                        kind: PointsEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .load,
                        points: try row.decode(column: "points", as: Int.self), lotId: try row.decode(column: "lot_id", as: UUID?.self),
                        expiresAt: try row.decode(column: "expires_at", as: Date?.self), orderId: try row.decode(column: "order_id", as: UUID?.self),
                        reason: try row.decode(column: "reason", as: String?.self), occurredAt: try row.decode(column: "occurred_at", as: Date.self),
                        recordedBy: try row.decode(column: "recorded_by", as: String.self))
        }
    }

    /// Holds the customer's points until the transaction ends, so that two redemptions do not both
    /// spend the same lot (PostgreSQL: a transaction-scoped advisory lock; SQLite has one writer).
    static func lock(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        _ = try await sql.raw("""
            SELECT pg_advisory_xact_lock(hashtextextended(\(bind: "points:" + tenantID.uuidString + ":" + customerID.uuidString), 0)) AS locked
            """).first()
    }
}
