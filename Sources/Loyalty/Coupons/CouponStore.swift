import Contracts
import Foundation
import SQLKit
import Storage

/// The SQL of coupons.
enum CouponStore {
    static let columns = """
        id, code, batch_id, customer_id, kind, value, minimum_basket, valid_from, valid_until, status, discount, order_id, created_at
        """

    /// Inserts `coupon` under `code` (the stored form); false when the code is taken.
    static func insert(_ coupon: Coupon, code: String, tenantID: UUID, by actor: String, sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            INSERT INTO loyalty_coupons (tenant_id, id, code, batch_id, customer_id, kind, value, minimum_basket, valid_from, valid_until,
                                         status, created_by, created_at)
            VALUES (\(bind: tenantID), \(bind: coupon.id), \(bind: code), \(bind: coupon.batchId), \(bind: coupon.customerId),
                    \(bind: coupon.kind.rawValue), \(bind: coupon.value), \(bind: coupon.minimumBasket?.minorUnits), \(bind: coupon.validFrom),
                    \(bind: coupon.validUntil), 'issued', \(bind: actor), \(bind: coupon.createdAt))
            ON CONFLICT (tenant_id, code) DO NOTHING
            RETURNING id
            """).first() != nil
    }

    static func find(_ code: String, tenantID: UUID, sql: any SQLDatabase) async throws -> Coupon? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM loyalty_coupons WHERE tenant_id = \(bind: tenantID) AND code = \(bind: code)")
            .first().map(decode)
    }

    /// Issued → redeemed, once: false when another redemption or a cancellation came first.
    static func redeem(_ id: UUID, discount: Money, orderID: UUID?, tenantID: UUID, by actor: String, at now: Date,
                       sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE loyalty_coupons SET status = 'redeemed', discount = \(bind: discount.minorUnits), order_id = \(bind: orderID),
                changed_by = \(bind: actor), changed_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) AND status = 'issued'
            RETURNING id
            """).first() != nil
    }

    /// Issued → cancelled, once.
    static func cancel(_ id: UUID, tenantID: UUID, by actor: String, at now: Date, sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE loyalty_coupons SET status = 'cancelled', changed_by = \(bind: actor), changed_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) AND status = 'issued'
            RETURNING id
            """).first() != nil
    }

    static func decode(_ row: any SQLRow) throws -> Coupon {
        Coupon(id: try row.decode(column: "id", as: UUID.self), code: CouponCode.shown(try row.decode(column: "code", as: String.self)),
               batchId: try row.decode(column: "batch_id", as: UUID.self), customerId: try row.decode(column: "customer_id", as: UUID?.self),
               kind: Coupon.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .amount,
               value: try row.decode(column: "value", as: Int.self),
               minimumBasket: try row.decode(column: "minimum_basket", as: Int?.self).map(Money.init(minorUnits:)),
               validFrom: try row.decode(column: "valid_from", as: Date.self), validUntil: try row.decode(column: "valid_until", as: Date.self),
               status: Coupon.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .cancelled,
               discount: try row.decode(column: "discount", as: Int?.self).map(Money.init(minorUnits:)),
               orderId: try row.decode(column: "order_id", as: UUID?.self), createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}

extension CouponStore {
    /// A customer's coupons a till may take now (issued to them, within their validity), soonest to
    /// run out first, at most `limit`.
    static func usable(customerID: UUID, tenantID: UUID, at now: Date, limit: Int, sql: any SQLDatabase) async throws -> [Coupon] {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM loyalty_coupons
            WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID) AND status = 'issued'
              AND valid_from <= \(bind: now) AND valid_until > \(bind: now)
            ORDER BY valid_until, code \(SQLLimit(limit))
            """).all().map(decode)
    }
}
