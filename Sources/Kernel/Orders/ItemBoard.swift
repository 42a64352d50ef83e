import Contracts
import Foundation
import SQLKit
import Storage

/// The status board (F16): how many items are at each open stage, and the items of one stage,
/// oldest first, within the caller's branch scope (items of the branch's orders and items at it).
public struct ItemBoard: Sendable {
    let database: any Database
    let registry: ModuleRegistry

    public struct Entry: Sendable, Equatable {
        public let tag: String
        public let serviceName: String
        public let stage: String
        public let stageSince: Date
        public let orderID: UUID
        public let orderNumber: String
        public let customerName: String
    }

    /// Items per open stage (not delivered, cancelled or returned).
    public func counts(by principal: Principal) async throws -> [String: Int] {
        try principal.require(.readOrders)
        let workflow = try registry.require(principal.sector).workflow
        let scope = RowScope(principal)
        let rows = try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT i.stage, COUNT(*) AS items FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
                WHERE i.tenant_id = \(bind: principal.tenantID)
                  AND i.stage NOT IN (\(bind: workflow.deliveredStage), \(bind: Workflow.cancelled), \(bind: Workflow.returned)) \(scope.itemFilter)
                GROUP BY i.stage
                """).all()
        }
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode(column: "stage", as: String.self)] = try row.decode(column: "items", as: Int.self) }
        return counts
    }

    /// The items at `stage`, longest there first, at most `limit` (1–500).
    public func items(at stage: String, limit: Int = 200, by principal: Principal) async throws -> [Entry] {
        try principal.require(.readOrders)
        guard (1...500).contains(limit) else { throw DomainError.invalid("limit", .invalidParameter, "limit must be 1–500.") }
        let scope = RowScope(principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT i.tag_code, i.service_name, i.stage, i.stage_since, o.id AS order_id, o.number, c.name AS customer_name
                FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
                JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
                WHERE i.tenant_id = \(bind: principal.tenantID) AND i.stage = \(bind: stage) \(scope.itemFilter)
                ORDER BY i.stage_since, i.tag_code \(SQLLimit(limit))
                """).all().map { row in
                    Entry(tag: try row.decode(column: "tag_code", as: String.self), serviceName: try row.decode(column: "service_name", as: String.self),
                          stage: try row.decode(column: "stage", as: String.self), stageSince: try row.decode(column: "stage_since", as: Date.self),
                          orderID: try row.decode(column: "order_id", as: UUID.self), orderNumber: try row.decode(column: "number", as: String.self),
                          customerName: try row.decode(column: "customer_name", as: String.self))
                }
        }
    }
}
