import Contracts
import Foundation
import Kernel
import SQLKit

/// Earns points and stamps on every sector's sales, in the transaction that hands the order over
/// (stamps: see `StampStore`). Points: the
/// tenant's `loyalty_points_per_lira` for each whole lira of the order's total, in a lot that
/// lapses after `loyalty_points_expiry_months`; once per order. With the rate at 0 (the default)
/// the tenant runs no points programme.
public struct PointsSubscriber: OrderEventSubscriber {
    public init() {}

    public func handle(_ event: OrderEvent, context: EventContext) async throws {
        guard case .delivered = event.change else { return }
        let sql = context.sql
        let tenantID = event.tenantId
        guard let order = try await OrderFacts.read(orderID: event.orderId, tenantID: tenantID, sql: sql) else { return }
        try await StampStore.earn(order: order, tenantID: tenantID, at: event.occurredAt, sql: sql)
        let settings = try await SettingsService.values(LoyaltySettings.declaration, tenantID: tenantID, sql: sql)
        let rate = settings.integer("loyalty_points_per_lira")
        guard rate > 0 else { return }
        let points = min(Int(order.total.minorUnits / 100) * rate, PointsStore.maximumMovement)
        guard points > 0 else { return }
        let expiresAt = LocalCalendar.utc.adding(months: settings.integer("loyalty_points_expiry_months"), to: event.occurredAt)
        try await PointsStore.insert(
            PointsStore.NewEntry(customerID: order.customerID, kind: .earn, points: points, expiresAt: expiresAt, orderID: order.orderID,
                                 reason: "Sipariş \(order.number)", sourceKey: "order:" + order.orderID.uuidString,
                                 occurredAt: event.occurredAt, recordedBy: "system"),
            tenantID: tenantID, at: event.occurredAt, sql: sql)
    }
}
