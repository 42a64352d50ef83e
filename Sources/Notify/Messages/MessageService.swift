import Contracts
import Foundation
import Kernel
import SQLKit
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

    /// Of the message `keys` (as a module named them to Notifier, e.g. `statement:…`), those whose
    /// message went out or may have (sent, delivered, read, or unconfirmed): they are never sent again.
    public static func sentKeys(_ keys: [String], tenantID: UUID, sql: any SQLDatabase) async throws -> Set<String> {
        var sent: Set<String> = []
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            for (key, rows) in try await MessageLog.byKeys(chunk, tenantID: tenantID, sql: sql) where rows.contains(where: { $0.status.counts && $0.status != .sending }) {
                sent.insert(key)
            }
        }
        return sent
    }
}
