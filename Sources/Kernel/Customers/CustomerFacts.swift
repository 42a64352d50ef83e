import Foundation
import SQLKit

/// What a feature module's job needs to know of a customer inside its transaction: the type its
/// terms hang on and the branch it belongs to.
public struct CustomerFacts: Sendable, Equatable {
    public let customerType: String
    public let branchID: UUID
    public let deleted: Bool

    /// The customer as `sql` sees it; nil when there is no such customer.
    public static func read(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> CustomerFacts? {
        guard let row = try await sql.raw("""
            SELECT customer_type, branch_id, deleted_at FROM customers WHERE tenant_id = \(bind: tenantID) AND id = \(bind: customerID)
            """).first() else { return nil }
        return CustomerFacts(customerType: try row.decode(column: "customer_type", as: String.self),
                             branchID: try row.decode(column: "branch_id", as: UUID.self),
                             deleted: try row.decode(column: "deleted_at", as: Date?.self) != nil)
    }
}
