import Contracts
import Foundation
import SQLKit

/// What a feature module's subscriber needs to know of an order inside the transaction that
/// changed it: what the customer pays now, the stage and the customer type it was priced for.
public struct OrderFacts: Sendable, Equatable {
    public let orderID: UUID
    public let customerID: UUID
    /// The branch that took the order (branch-confined staff reach only their own branch's orders).
    public let branchID: UUID
    public let number: String
    public let stage: String
    public let customerType: String
    public let total: Money
    public let createdAt: Date

    /// Whether `principal` may reach the order: branch-confined staff only their own branch's.
    public func reachable(by principal: Principal) -> Bool {
        principal.confinedBranch.map { $0 == branchID } ?? true
    }

    /// The order as `sql` (the publishing transaction) sees it; nil when there is no such order.
    /// `locking` holds its row until the transaction ends (PostgreSQL; SQLite has one writer).
    public static func read(orderID: UUID, tenantID: UUID, locking: Bool = false, sql: any SQLDatabase) async throws -> OrderFacts? {
        let lock: any SQLExpression = locking && sql.dialect.name == "postgresql" ? SQLRaw("FOR UPDATE") : SQLRaw("")
        guard let row = try await sql.raw("""
            SELECT customer_id, branch_id, number, stage, customer_type, total, created_at FROM orders
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: orderID) \(lock)
            """).first() else { return nil }
        return OrderFacts(orderID: orderID, customerID: try row.decode(column: "customer_id", as: UUID.self),
                          branchID: try row.decode(column: "branch_id", as: UUID.self),
                          number: try row.decode(column: "number", as: String.self),
                          stage: try row.decode(column: "stage", as: String.self),
                          customerType: try row.decode(column: "customer_type", as: String.self),
                          total: Money(minorUnits: try row.decode(column: "total", as: Int.self)),
                          createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
