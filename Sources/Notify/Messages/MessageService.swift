import Contracts
import Foundation
import Kernel
import Storage

/// The messages of a customer card, newest first.
public struct MessageService: Sendable {
    let database: any Database
    let customers: CustomerService

    public func list(customerID: UUID, limit: Int, by principal: Principal) async throws -> [MessageRecord] {
        guard (1...200).contains(limit) else { throw DomainError.invalid("limit", .invalidParameter, "limit must be between 1 and 200.") }
        _ = try await customers.get(customerID, by: principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await MessageLog.forCustomer(customerID, tenantID: principal.tenantID, limit: limit, sql: sql)
        }
    }
}
