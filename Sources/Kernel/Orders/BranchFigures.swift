import Contracts
import Foundation
import SQLKit
import Storage

/// What a head office watches per branch (F16's dashboard): orders taken and their revenue in a
/// period, items ready now, and those ready for longer than a week (uncollected), within the
/// caller's branch scope; and the revenue of each day of the last days for a chart.
public struct BranchFigures: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let clock: Clock

    /// Items ready for longer than this are counted as uncollected.
    public static let uncollectedAfter: TimeInterval = 7 * 86_400

    public struct Figures: Sendable, Equatable {
        public let branchID: UUID
        public var orders = 0
        public var revenue = Money.zero
        public var itemsReady = 0
        public var uncollected = 0

        public init(branchID: UUID) {
            self.branchID = branchID
        }
    }

    public struct Sale: Sendable, Equatable {
        public let at: Date
        public let total: Money
    }

    /// Figures per branch for orders taken in `from..<to`, and the items ready now; branches with
    /// nothing to show are left out.
    public func figures(from: Date, to: Date, by principal: Principal) async throws -> [Figures] {
        try principal.require(.readOrders)
        let readyStage = try registry.require(principal.sector).workflow.readyStage
        let scope = RowScope(principal)
        let waitingSince = clock.now().addingTimeInterval(-Self.uncollectedAfter)
        // Items count where they are; a branch's own staff see the items at their branch only
        // (an item of their order waiting at another branch is that branch's figure).
        let atOwnBranch: SQLQueryString = scope.branchID.map { "AND i.branch_id = \(bind: $0)" } ?? ""
        let (orders, items) = try await database.read(.tenant(principal.tenantID)) { sql in
            let orders = try await sql.raw("""
                SELECT o.branch_id, COUNT(*) AS taken, CAST(COALESCE(SUM(o.total), 0) AS BIGINT) AS revenue FROM orders o
                WHERE o.tenant_id = \(bind: principal.tenantID) AND o.created_at >= \(bind: from) AND o.created_at < \(bind: to)
                  AND o.stage <> \(bind: Workflow.cancelled) \(scope.orderFilter)
                GROUP BY o.branch_id
                """).all()
            let items = try await sql.raw("""
                SELECT i.branch_id, COUNT(*) AS ready, CAST(COALESCE(SUM(CASE WHEN i.stage_since < \(bind: waitingSince) THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting
                FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
                WHERE i.tenant_id = \(bind: principal.tenantID) AND i.stage = \(bind: readyStage) \(scope.itemFilter) \(atOwnBranch)
                GROUP BY i.branch_id
                """).all()
            return (orders, items)
        }
        var figures: [UUID: Figures] = [:]
        for row in orders {
            let branch = try row.decode(column: "branch_id", as: UUID.self)
            figures[branch, default: Figures(branchID: branch)].orders = try row.decode(column: "taken", as: Int.self)
            figures[branch, default: Figures(branchID: branch)].revenue = Money(minorUnits: try row.decode(column: "revenue", as: Int.self))
        }
        for row in items {
            let branch = try row.decode(column: "branch_id", as: UUID.self)
            figures[branch, default: Figures(branchID: branch)].itemsReady = try row.decode(column: "ready", as: Int.self)
            figures[branch, default: Figures(branchID: branch)].uncollected = try row.decode(column: "waiting", as: Int.self)
        }
        return figures.values.sorted { $0.branchID.uuidString < $1.branchID.uuidString }
    }

    /// The orders taken in `from..<to` (time and total), for a chart by day in the tenant's zone.
    public func sales(from: Date, to: Date, by principal: Principal) async throws -> [Sale] {
        try principal.require(.readOrders)
        guard from < to, to.timeIntervalSince(from) <= 92 * 86_400 else {
            throw DomainError.invalid("to", .invalidParameter, "A chart covers at most 92 days.")
        }
        let scope = RowScope(principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT o.created_at, o.total FROM orders o
                WHERE o.tenant_id = \(bind: principal.tenantID) AND o.created_at >= \(bind: from) AND o.created_at < \(bind: to)
                  AND o.stage <> \(bind: Workflow.cancelled) \(scope.orderFilter)
                """).all().map { row in
                    Sale(at: try row.decode(column: "created_at", as: Date.self), total: Money(minorUnits: try row.decode(column: "total", as: Int.self)))
                }
        }
    }
}
