import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// A sale as a till reports it: the basket's total, and optionally the customer, a coupon to take
/// off it and the till's own receipt number.
public struct PosSaleInput: Sendable, Decodable {
    public var customerId: UUID?
    /// The basket's total in kuruş, before the coupon.
    public var amount: Money?
    public var coupon: String?
    public var receipt: String?

    public init(customerId: UUID? = nil, amount: Money?, coupon: String? = nil, receipt: String? = nil) {
        self.customerId = customerId
        self.amount = amount
        self.coupon = coupon
        self.receipt = receipt
    }
}

/// A sale as booked: what the coupon took off, the points it earned and the customer's usable
/// points after it. A retry with the same idempotency key answers this very sale again.
public struct PosSale: Sendable, Codable, Equatable {
    public let id: UUID
    public let deviceId: UUID
    public let branchId: UUID
    public let customerId: UUID?
    public let amount: Money
    public let discount: Money
    /// What the customer paid: the amount less the coupon.
    public let total: Money
    public let coupon: String?
    public let receipt: String?
    public let pointsEarned: Int
    /// The customer's usable points after the sale (nil for a sale to nobody in particular).
    public let points: Int?
    public let occurredAt: Date
}

/// A booked sale and whether this request booked it or found it booked by an earlier one.
public struct PosSaleOutcome: Sendable {
    public let sale: PosSale
    public let replayed: Bool
}

extension PosService {
    public static let maximumIdempotencyKey = 255
    public static let maximumReceipt = 40

    /// Books a sale once per (device, idempotency key): a retry, also one racing the first, finds
    /// the sale the first booked and answers it again; the same key with a different sale is
    /// refused (422 `idempotency_key_reused`). The sale earns the tenant's points per lira on what
    /// the customer paid, in a lot of its own, and redeems the coupon, in the same transaction.
    public func sell(_ input: PosSaleInput, idempotencyKey: String?, session: PosDevices.DeviceSession) async throws -> PosSaleOutcome {
        guard let key = idempotencyKey, (1...Self.maximumIdempotencyKey).contains(key.utf8.count),
              key.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) }) else {
            throw DomainError(.invalidParameter, "An Idempotency-Key header of 1 to \(Self.maximumIdempotencyKey) visible ASCII characters is required.")
        }
        var errors = FieldErrors()
        if let amount = input.amount {
            if !(1...Money.maximum.minorUnits).contains(amount.minorUnits) {
                errors.add("amount", .invalidValue, "amount must be between 1 and \(Money.maximum.minorUnits) kuruş.")
            }
        } else {
            errors.add("amount", .missingField, "amount is required.")
        }
        let receipt = errors.optionalText("receipt", input.receipt, maximum: Self.maximumReceipt)
        let couponCode = input.coupon.flatMap(CouponCode.normalized)
        if input.coupon != nil, couponCode == nil {
            errors.add("coupon", .invalidValue, "coupon is not a valid code (a character may be mistyped).")
        }
        try errors.throwIfAny()
        let amount = input.amount!
        let device = session.device
        let tenantID = device.tenantID
        let fingerprint = Tokens.hash([input.customerId?.uuidString ?? "", String(amount.minorUnits), couponCode ?? "", receipt ?? ""]
            .joined(separator: "\u{1f}"))
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            // Checked again in the sale's own transaction: a key revoked, or a tenant suspended, a
            // moment ago books nothing.
            guard try await sql.raw("""
                SELECT d.id FROM pos_devices d JOIN tenants n ON n.id = d.tenant_id
                WHERE d.tenant_id = \(bind: tenantID) AND d.id = \(bind: device.deviceID) AND d.revoked_at IS NULL AND n.status = 'active'
                """).first() != nil else { throw PosDevices.unauthenticated }
            let saleID = UUID()
            // The claim comes first (the customer is set once checked): a second request with the key waits here for the first to
            // commit (PostgreSQL) or runs after it (SQLite's one writer), then finds its sale.
            let claimed = try await sql.raw("""
                INSERT INTO pos_sales (tenant_id, id, device_id, idempotency_key, fingerprint, branch_id, customer_id, amount, discount,
                                       receipt, points, answer, occurred_at)
                VALUES (\(bind: tenantID), \(bind: saleID), \(bind: device.deviceID), \(bind: key), \(bind: fingerprint), \(bind: device.branchID),
                        NULL, \(bind: amount.minorUnits), 0, \(bind: receipt), 0, \(SQLJSON("{}")), \(bind: now))
                ON CONFLICT (tenant_id, device_id, idempotency_key) DO NOTHING
                RETURNING id
                """).first() != nil
            guard claimed else { return PosSaleOutcome(sale: try await Self.booked(key, fingerprint: fingerprint, device: device, sql: sql), replayed: true) }
            let sale = try await book(saleID, input, amount: amount, couponCode: couponCode, receipt: receipt, device: device, now: now, sql: sql)
            return PosSaleOutcome(sale: sale, replayed: false)
        }
    }

    /// The sale booked under `key` by this device, or 422 when it was a different one.
    private static func booked(_ key: String, fingerprint: String, device: DevicePrincipal, sql: any SQLDatabase) async throws -> PosSale {
        guard let row = try await sql.raw("""
            SELECT fingerprint, answer FROM pos_sales
            WHERE tenant_id = \(bind: device.tenantID) AND device_id = \(bind: device.deviceID) AND idempotency_key = \(bind: key)
            """).first() else { throw DomainError(.conflict, "The sale under this Idempotency-Key could not be read; retry.") }
        guard try row.decode(column: "fingerprint", as: String.self) == fingerprint else {
            throw DomainError(.idempotencyKeyReused, "This Idempotency-Key was used for a different sale; use a new key for a new sale.")
        }
        return try StoredJSON.decode(PosSale.self, from: try row.decode(column: "answer", as: String.self))
    }

    private func book(_ saleID: UUID, _ input: PosSaleInput, amount: Money, couponCode: String?, receipt: String?, device: DevicePrincipal,
                      now: Date, sql: any SQLDatabase) async throws -> PosSale {
        let tenantID = device.tenantID
        if let customerID = input.customerId {
            guard try await sql.raw("""
                SELECT id FROM customers WHERE tenant_id = \(bind: tenantID) AND id = \(bind: customerID) AND deleted_at IS NULL
                """).first() != nil else { throw DomainError.invalid("customerId", .unknownCustomer, "customerId is not a customer of the tenant.") }
        }
        var discount = Money.zero
        var couponID: UUID?
        if let code = couponCode {
            guard let coupon = try await CouponStore.find(code, tenantID: tenantID, sql: sql) else {
                throw DomainError.invalid("coupon", .invalidValue, "No such coupon.")
            }
            if let owner = coupon.customerId, owner != input.customerId {
                throw DomainError.invalid("coupon", .invalidValue, "Coupon \(coupon.code) is for another customer.")
            }
            try CouponService.check(coupon, basket: amount, at: now, basketField: "amount")
            discount = coupon.discount(on: amount)
            guard try await CouponStore.redeem(coupon.id, discount: discount, orderID: nil, tenantID: tenantID, by: device.recordedBy, at: now, sql: sql) else {
                throw CouponService.notIssued(try await CouponStore.find(code, tenantID: tenantID, sql: sql) ?? coupon)
            }
            couponID = coupon.id
        }
        let total = amount - discount
        var earned = 0
        var points: Int?
        if let customerID = input.customerId {
            let settings = try await SettingsService.values(LoyaltySettings.declaration, tenantID: tenantID, sql: sql)
            let multiplier = try await TierStore.multiplier(customerID: customerID, tenantID: tenantID, sql: sql)
            try await TierStore.recordSpend(total, customerID: customerID, source: "pos:" + saleID.uuidString, tenantID: tenantID, at: now, sql: sql)
            earned = PointsStore.earned(on: total, rate: settings.integer("loyalty_points_per_lira"), multiplier: multiplier)
            if earned > 0 {
                let expiresAt = LocalCalendar.utc.adding(months: settings.integer("loyalty_points_expiry_months"), to: now)
                try await PointsStore.insert(
                    PointsStore.NewEntry(customerID: customerID, kind: .earn, points: earned, expiresAt: expiresAt,
                                         reason: receipt.map { "Satış \($0)" } ?? "Satış", sourceKey: "pos:" + saleID.uuidString,
                                         occurredAt: now, recordedBy: device.recordedBy),
                    tenantID: tenantID, at: now, sql: sql)
            }
            try await StampStore.earn(saleID: saleID, customerID: customerID, tenantID: tenantID, at: now, sql: sql)
            points = try await PointsStore.usable(customerID: customerID, tenantID: tenantID, at: now, sql: sql)
        }
        let booked = PosSale(id: saleID, deviceId: device.deviceID, branchId: device.branchID, customerId: input.customerId, amount: amount,
                             discount: discount, total: total, coupon: couponCode.map(CouponCode.shown), receipt: receipt,
                             pointsEarned: earned, points: points, occurredAt: now)
        let answer = try StoredJSON.encode(booked)
        try await sql.raw("""
            UPDATE pos_sales SET customer_id = \(bind: input.customerId), discount = \(bind: discount.minorUnits), coupon_id = \(bind: couponID), points = \(bind: earned),
                answer = \(SQLJSON(answer))
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: saleID)
            """).run()
        try await AuditLog.record(sql, tenantID: tenantID, branchID: device.branchID, actor: device.actor, action: "pos.sale",
                                  entity: "pos_sale", entityID: saleID.uuidString, after: booked, at: now)
        // As stored, so that the first answer and every replay are the same to the second.
        return try StoredJSON.decode(PosSale.self, from: answer)
    }
}
