import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// The SQL of orders waiting on the shelf, kept by the account subscriber in the transactions that
/// make an order ready and take it off the shelf.
enum StorageWaits {
    /// The order became ready (again): it waits from now.
    static func ready(_ event: OrderEvent, order: OrderFacts, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO storage_waits (tenant_id, order_id, customer_id, branch_id, number, ready_stage, ready_at, collected_at)
            VALUES (\(bind: event.tenantId), \(bind: event.orderId), \(bind: order.customerID), \(bind: event.branchId), \(bind: order.number),
                    \(bind: order.stage), \(bind: event.occurredAt), NULL)
            ON CONFLICT (tenant_id, order_id) DO UPDATE SET ready_stage = excluded.ready_stage, ready_at = excluded.ready_at, collected_at = NULL
            """).run()
    }

    /// The order left the stage it waited in (delivered, sent out, cancelled, taken back to work).
    static func left(_ event: OrderEvent, stage: String, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE storage_waits SET collected_at = \(bind: event.occurredAt)
            WHERE tenant_id = \(bind: event.tenantId) AND order_id = \(bind: event.orderId) AND ready_stage = \(bind: stage) AND collected_at IS NULL
            """).run()
    }

    struct Waiting: Sendable {
        let orderID: UUID
        let customerID: UUID
        let branchID: UUID
        let number: String
        let readyAt: Date
        let collectedAt: Date?
    }

    /// Orders still waiting (and, with `collectedSince`, those collected since then), oldest first,
    /// at most `limit`; only those of `branchID` when given.
    static func waiting(tenantID: UUID, branchID: UUID? = nil, readyBefore: Date? = nil, collectedSince: Date? = nil, limit: Int,
                        sql: any SQLDatabase) async throws -> [Waiting] {
        let branch: any SQLExpression = branchID.map { SQLQueryString("AND branch_id = \(bind: $0)") } ?? SQLRaw("")
        let before: any SQLExpression = readyBefore.map { SQLQueryString("AND ready_at <= \(bind: $0)") } ?? SQLRaw("")
        let open: any SQLExpression = collectedSince.map { SQLQueryString("(collected_at IS NULL OR collected_at >= \(bind: $0))") }
            ?? SQLRaw("collected_at IS NULL")
        return try await sql.raw("""
            SELECT order_id, customer_id, branch_id, number, ready_at, collected_at FROM storage_waits
            WHERE tenant_id = \(bind: tenantID) AND \(open) \(branch) \(before)
            ORDER BY ready_at, order_id \(SQLLimit(limit))
            """).all().map { row in
            Waiting(orderID: try row.decode(column: "order_id", as: UUID.self), customerID: try row.decode(column: "customer_id", as: UUID.self),
                    branchID: try row.decode(column: "branch_id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
                    readyAt: try row.decode(column: "ready_at", as: Date.self), collectedAt: try row.decode(column: "collected_at", as: Date?.self))
        }
    }
}
