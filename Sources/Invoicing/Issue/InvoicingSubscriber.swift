import Foundation
import Kernel
import SQLKit

/// Notes when each order is handed over, in the delivering transaction, for the month's
/// consolidated invoice of a corporate customer.
public struct InvoicingSubscriber: OrderEventSubscriber {
    public init() {}

    public func handle(_ event: OrderEvent, context: EventContext) async throws {
        guard case .delivered = event.change else { return }
        try await context.sql.raw("""
            INSERT INTO invoice_deliveries (tenant_id, order_id, customer_id, delivered_at)
            VALUES (\(bind: event.tenantId), \(bind: event.orderId), \(bind: event.customerId), \(bind: event.occurredAt))
            ON CONFLICT (tenant_id, order_id) DO UPDATE SET delivered_at = excluded.delivered_at
            """).run()
    }
}
