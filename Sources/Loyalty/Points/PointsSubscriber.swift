import Contracts
import Foundation
import Kernel
import SQLKit

/// Earns points and stamps on every sector's sales, in the transaction that hands the order over,
/// and counts the order towards the customer's tier (stamps: `StampStore`; tiers: `TierStore`).
/// Points: the tenant's `loyalty_points_per_lira` for each whole lira of the order's total, times
/// the customer's tier multiplier, in a lot that lapses after `loyalty_points_expiry_months`; once
/// per order. With the rate at 0 (the default) the tenant runs no points programme.
public struct PointsSubscriber: OrderEventSubscriber {
    public init() {}

    public func handle(_ event: OrderEvent, context: EventContext) async throws {
        guard case .delivered = event.change else { return }
        let sql = context.sql
        let tenantID = event.tenantId
        guard let order = try await OrderFacts.read(orderID: event.orderId, tenantID: tenantID, sql: sql) else { return }
        try await StampStore.earn(order: order, tenantID: tenantID, at: event.occurredAt, sql: sql)
        // The tier held before this purchase counts; the purchase then counts towards the next.
        let multiplier = try await TierStore.multiplier(customerID: order.customerID, tenantID: tenantID, sql: sql)
        try await TierStore.recordSpend(order.total, customerID: order.customerID, source: "order:" + order.orderID.uuidString,
                                        tenantID: tenantID, at: event.occurredAt, sql: sql)
        let settings = try await SettingsService.values(LoyaltySettings.declaration, tenantID: tenantID, sql: sql)
        let points = PointsStore.earned(on: order.total, rate: settings.integer("loyalty_points_per_lira"), multiplier: multiplier)
        guard points > 0 else { return }
        let expiresAt = LocalCalendar.utc.adding(months: settings.integer("loyalty_points_expiry_months"), to: event.occurredAt)
        try await PointsStore.insert(
            PointsStore.NewEntry(customerID: order.customerID, kind: .earn, points: points, expiresAt: expiresAt, orderID: order.orderID,
                                 reason: "Sipariş \(order.number)", sourceKey: "order:" + order.orderID.uuidString,
                                 occurredAt: event.occurredAt, recordedBy: "system"),
            tenantID: tenantID, at: event.occurredAt, sql: sql)
    }
}
