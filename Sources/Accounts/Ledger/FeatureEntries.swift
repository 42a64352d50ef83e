import Contracts
import Foundation
import Kernel
import SQLKit

/// Entries other feature modules post inside their own transactions (points redeemed at
/// checkout as a discount on an order), with the same bounds as any entry.
public enum FeatureEntries {
    /// Posts a discount of `amount` (positive kuruş) on `orderID`'s customer's account. The order's
    /// row is held for the rest of the transaction, so that the discounts on one order (by hand,
    /// points, coupons), however many arrive at once, never add up to more than it costs; a
    /// cancelled order takes none.
    public static func discount(_ amount: Money, orderID: UUID, reason: String, recordedBy: String, tenantID: UUID, at now: Date,
                                sql: any SQLDatabase) async throws -> AccountEntry {
        guard let order = try await OrderFacts.read(orderID: orderID, tenantID: tenantID, locking: true, sql: sql) else {
            throw DomainError.notFound("The order")
        }
        guard order.stage != Workflow.cancelled else {
            throw DomainError.invalid("orderId", .invalidValue, "Order \(order.number) is cancelled.")
        }
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS discounted FROM account_entries
            WHERE tenant_id = \(bind: tenantID) AND order_id = \(bind: orderID) AND kind = 'discount'
            """).first()
        let already = Money(minorUnits: -(try row?.decode(column: "discounted", as: Int.self) ?? 0))
        let room = order.total - already
        guard amount.minorUnits > 0, amount <= room else {
            throw DomainError.invalid("orderId", .invalidValue,
                                      "The discount of \(amount.turkish) is more than is left of order \(order.number) (\(room.turkish) of \(order.total.turkish)).")
        }
        return try await LedgerStore.append(
            LedgerStore.NewEntry(customerID: order.customerID, kind: .discount, amount: Money(minorUnits: -amount.minorUnits), orderID: orderID,
                                 reason: reason, occurredAt: now, recordedBy: recordedBy),
            tenantID: tenantID, at: now, sql: sql)
    }
}
