import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// What customers spent (`loyalty_spend`, append-only: each handed-over order and till sale once)
/// and each customer's spend over the rolling year (`loyalty_standing`), kept current on every
/// purchase and, as old purchases leave the year, by the daily run. The tier is read from the
/// ladder against that figure when asked, so a changed ladder applies at once.
enum TierStore {
    static let window: TimeInterval = 365 * 86_400
    static let maximumRungs = 10

    static func ladder(tenantID: UUID, sql: any SQLDatabase) async throws -> [Tier] {
        try await sql.raw("""
            SELECT code, name, minimum_spend, points_multiplier FROM loyalty_tiers WHERE tenant_id = \(bind: tenantID) ORDER BY minimum_spend
            """).all().map {
            Tier(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                 minimumSpend: Money(minorUnits: try $0.decode(column: "minimum_spend", as: Int.self)),
                 pointsMultiplier: try $0.decode(column: "points_multiplier", as: Int.self))
        }
    }

    /// The customer's spend over the rolling year as last recorded (0 before their first purchase).
    static func yearSpend(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Money {
        Money(minorUnits: try await sql.raw("""
            SELECT year_spend FROM loyalty_standing WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID)
            """).first()?.decode(column: "year_spend", as: Int.self) ?? 0)
    }

    /// The rung `spend` reaches on `ladder` (sorted by minimum), if any.
    static func tier(for spend: Money, ladder: [Tier]) -> Tier? {
        ladder.last { $0.minimumSpend <= spend }
    }

    /// Per cent of the usual points the customer earns now (their tier's; 100 without one).
    static func multiplier(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Int {
        let ladder = try await ladder(tenantID: tenantID, sql: sql)
        guard !ladder.isEmpty else { return 100 }
        return tier(for: try await yearSpend(customerID: customerID, tenantID: tenantID, sql: sql), ladder: ladder)?.pointsMultiplier ?? 100
    }

    /// Records a purchase once (by `source`) and brings the customer's year figure up to date.
    static func recordSpend(_ amount: Money, customerID: UUID, source: String, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        guard amount.minorUnits > 0 else { return }
        let inserted = try await sql.raw("""
            INSERT INTO loyalty_spend (tenant_id, id, customer_id, amount, source_key, occurred_at)
            VALUES (\(bind: tenantID), \(bind: UUID()), \(bind: customerID), \(bind: amount.minorUnits), \(bind: source), \(bind: now))
            ON CONFLICT (tenant_id, source_key) DO NOTHING
            RETURNING id
            """).first() != nil
        if inserted { try await refresh([customerID], tenantID: tenantID, at: now, sql: sql) }
    }

    /// Sets each customer's year figure to the sum of their purchases within the year before `now`.
    static func refresh(_ customers: [UUID], tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        for customerID in customers {
            try await sql.raw("""
                INSERT INTO loyalty_standing (tenant_id, customer_id, year_spend, evaluated_at)
                SELECT \(bind: tenantID), \(bind: customerID), CAST(COALESCE(SUM(amount), 0) AS BIGINT), \(bind: now) FROM loyalty_spend
                WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID) AND occurred_at > \(bind: now.addingTimeInterval(-window))
                ON CONFLICT (tenant_id, customer_id) DO UPDATE SET year_spend = excluded.year_spend, evaluated_at = excluded.evaluated_at
                """).run()
        }
    }

    /// The customers whose purchases left the rolling year in the two days before `now` (the daily
    /// run recomputes them; two days, so a day the run missed is caught up).
    static func leaving(tenantID: UUID, now: Date, after: UUID?, limit: Int, sql: any SQLDatabase) async throws -> [UUID] {
        let from = now.addingTimeInterval(-window - 2 * 86_400), to = now.addingTimeInterval(-window)
        let cursor: any SQLExpression = after.map { SQLQueryString("AND customer_id > \(bind: $0)") } ?? SQLRaw("")
        return try await sql.raw("""
            SELECT DISTINCT customer_id FROM loyalty_spend
            WHERE tenant_id = \(bind: tenantID) AND occurred_at > \(bind: from) AND occurred_at <= \(bind: to) \(cursor)
            ORDER BY customer_id \(SQLLimit(limit))
            """).all().map { try $0.decode(column: "customer_id", as: UUID.self) }
    }

    /// The tenants that have a ladder.
    static func tenantsWithTiers(sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw("SELECT DISTINCT tenant_id FROM loyalty_tiers LIMIT 100000").all().map { try $0.decode(column: "tenant_id", as: UUID.self) }
    }

    /// The tier's code and name as columns of a statement over customers `c` (null without one).
    static var tierColumns: SQLQueryString {
        let reached: SQLQueryString = """
            FROM loyalty_tiers t WHERE t.tenant_id = c.tenant_id
              AND t.minimum_spend <= COALESCE((SELECT g.year_spend FROM loyalty_standing g WHERE g.tenant_id = c.tenant_id AND g.customer_id = c.id), 0)
            ORDER BY t.minimum_spend DESC LIMIT 1
            """
        return "(SELECT t.code \(reached)) AS tier_code, (SELECT t.name \(reached)) AS tier_name"
    }
}
