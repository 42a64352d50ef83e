import Contracts
import Foundation
import Kernel
import SQLKit

/// Entries other feature modules post inside their own transactions (points redeemed at
/// checkout as a discount on an order), with the same bounds as any entry.
public enum FeatureEntries {
    /// Posts a discount of `amount` (positive kuruş, at most what `orderID` costs) on the order's
    /// customer's account; returns the entry.
    public static func discount(_ amount: Money, orderID: UUID, reason: String, recordedBy: String, tenantID: UUID, at now: Date,
                                sql: any SQLDatabase) async throws -> AccountEntry {
        guard let order = try await OrderFacts.read(orderID: orderID, tenantID: tenantID, sql: sql) else { throw DomainError.notFound("The order") }
        guard amount.minorUnits > 0, amount <= order.total else {
            throw DomainError.invalid("points", .invalidValue, "The points are worth \(amount.turkish), more than order \(order.number) costs (\(order.total.turkish)).")
        }
        return try await LedgerStore.append(
            LedgerStore.NewEntry(customerID: order.customerID, kind: .discount, amount: Money(minorUnits: -amount.minorUnits), orderID: orderID,
                                 reason: reason, occurredAt: now, recordedBy: recordedBy),
            tenantID: tenantID, at: now, sql: sql)
    }
}
