import Accounts
import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Coupons (F9): batches of single-use codes, redeemed once however many tills try at the same
/// moment, cancelled, looked up again for a reprint.
public struct CouponService: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock

    public static let maximumBatch = 10_000
    public static let maximumAmount = 100_000_000          // 1 000 000 TL in kuruş
    public static let maximumValidity: TimeInterval = 5 * 366 * 86_400

    public func issue(_ input: CouponBatchInput, by principal: Principal) async throws -> CouponBatch {
        try PointsService.requireManager(principal)
        var errors = FieldErrors()
        let now = clock.now()
        let kind = input.kind.flatMap(Coupon.Kind.init(rawValue:))
        if input.kind == nil { errors.add("kind", .missingField, "kind is required.") } else if kind == nil {
            errors.add("kind", .invalidValue, "kind is amount or percent.")
        }
        let bound = kind == .percent ? 100 : Self.maximumAmount
        if let value = input.value {
            if !(1...bound).contains(value) { errors.add("value", .invalidValue, "value must be between 1 and \(bound).") }
        } else {
            errors.add("value", .missingField, "value is required.")
        }
        if let minimum = input.minimumBasket, !(0...Money.maximum.minorUnits).contains(minimum.minorUnits) {
            errors.add("minimumBasket", .invalidValue, "minimumBasket must be between 0 and \(Money.maximum.minorUnits).")
        }
        let from = input.validFrom ?? now
        if let until = input.validUntil {
            if until <= from || until <= now || until.timeIntervalSince(from) > Self.maximumValidity {
                errors.add("validUntil", .invalidValue, "validUntil must be after validFrom and now, within five years of validFrom.")
            }
        } else {
            errors.add("validUntil", .missingField, "validUntil is required.")
        }
        switch (input.count, input.customerIds) {
        case (nil, nil), (.some, .some): errors.add("count", .invalidValue, "Give either count (coupons for anyone) or customerIds (one each).")
        case (let count?, nil) where !(1...Self.maximumBatch).contains(count):
            errors.add("count", .invalidValue, "count must be between 1 and \(Self.maximumBatch).")
        default: break
        }
        let owners: [UUID?] = input.customerIds.map { PointsService.customerList($0, errors: &errors).map { $0 } }
            ?? Array(repeating: nil, count: min(max(input.count ?? 0, 0), Self.maximumBatch))   // bounded before any check fails
        try errors.throwIfAny()
        if let ids = input.customerIds { try await PointsService.requireVisible(ids, customers: customers, by: principal) }
        let batchID = UUID()
        let tenantID = principal.tenantID
        return try await database.transaction(.tenant(tenantID)) { sql in
            var random = SystemRandomNumberGenerator()
            var coupons: [Coupon] = []
            for owner in owners {
                // A code already taken (one in 27 billion per coupon held) is drawn again.
                while true {
                    let code = CouponCode.make(using: &random)
                    let coupon = Coupon(id: UUID(), code: CouponCode.shown(code), batchId: batchID, customerId: owner, kind: kind!, value: input.value!,
                                        minimumBasket: input.minimumBasket, validFrom: from, validUntil: input.validUntil!, status: .issued,
                                        discount: nil, orderId: nil, createdAt: now)
                    if try await CouponStore.insert(coupon, code: code, tenantID: tenantID, by: "user:" + principal.userID.uuidString, sql: sql) {
                        coupons.append(coupon)
                        break
                    }
                }
            }
            let batch = CouponBatch(batchId: batchID, coupons: coupons)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: principal.confinedBranch, actor: principal.actor, action: "coupon.issue",
                                      entity: "coupon_batch", entityID: batchID.uuidString,
                                      after: ["count": String(coupons.count), "kind": kind!.rawValue, "value": String(input.value!)], at: now)
            return batch
        }
    }

    /// A coupon by its code, for the till or a reprint.
    public func get(_ typed: String, by principal: Principal) async throws -> Coupon {
        try principal.require(.readOrders)
        let code = try Self.code(typed)
        guard let coupon = try await database.read(.tenant(principal.tenantID), { sql in
            try await CouponStore.find(code, tenantID: principal.tenantID, sql: sql)
        }) else { throw DomainError.notFound("The coupon") }
        if let owner = coupon.customerId { _ = try await customers.get(owner, by: principal) }
        return coupon
    }

    /// Redeems the coupon once: a compare-and-set from `issued`, so that of two tills at the same
    /// moment one succeeds and the other is told it is used (409). Towards an order, the order's
    /// total is the basket and the discount is posted on the customer's account.
    public func redeem(_ typed: String, _ input: CouponRedemptionInput, by principal: Principal) async throws -> Coupon {
        try principal.require(.writeOrders)
        let code = try Self.code(typed)
        if input.orderId == nil, input.basket == nil {
            throw DomainError.invalid("basket", .missingField, "Give the order (orderId) or the basket's total (basket).")
        }
        if let basket = input.basket, !(0...Money.maximum.minorUnits).contains(basket.minorUnits) {
            throw DomainError.invalid("basket", .invalidValue, "basket must be between 0 and \(Money.maximum.minorUnits).")
        }
        let tenantID = principal.tenantID
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            guard let coupon = try await CouponStore.find(code, tenantID: tenantID, sql: sql) else { throw DomainError.notFound("The coupon") }
            if let owner = coupon.customerId {
                _ = try await customers.get(owner, by: principal)
                guard input.orderId != nil else {
                    throw DomainError.invalid("orderId", .missingField, "A customer's coupon is redeemed towards one of their orders: give orderId.")
                }
            }
            var basket = input.basket ?? .zero
            if let orderID = input.orderId {
                guard let order = try await OrderFacts.read(orderID: orderID, tenantID: tenantID, sql: sql), order.reachable(by: principal) else {
                    throw DomainError.invalid("orderId", .invalidValue, "orderId is not an order you may reach.")
                }
                _ = try await customers.get(order.customerID, by: principal)
                if let owner = coupon.customerId, owner != order.customerID {
                    throw DomainError.invalid("orderId", .invalidValue, "This coupon is for another customer.")
                }
                basket = order.total
            }
            try Self.check(coupon, basket: basket, at: now)
            let discount = coupon.discount(on: basket)
            guard try await CouponStore.redeem(coupon.id, discount: discount, orderID: input.orderId, tenantID: tenantID,
                                               by: "user:" + principal.userID.uuidString, at: now, sql: sql) else {
                // Another till or a cancellation came first: say which, as it stands now.
                throw Self.notIssued(try await CouponStore.find(code, tenantID: tenantID, sql: sql) ?? coupon)
            }
            if let orderID = input.orderId, discount.minorUnits > 0 {
                _ = try await FeatureEntries.discount(discount, orderID: orderID, reason: "Kupon \(coupon.code)",
                                                      recordedBy: "user:" + principal.userID.uuidString, tenantID: tenantID, at: now, sql: sql)
            }
            try await AuditLog.record(sql, tenantID: tenantID, branchID: principal.confinedBranch, actor: principal.actor, action: "coupon.redeem",
                                      entity: "coupon", entityID: coupon.id.uuidString,
                                      after: ["discount": String(discount.minorUnits), "order": input.orderId?.uuidString ?? ""], at: now)
            guard let redeemed = try await CouponStore.find(code, tenantID: tenantID, sql: sql) else { throw DomainError.notFound("The coupon") }
            return redeemed
        }
    }

    /// Cancels an issued coupon (409 when it is used or cancelled already).
    public func cancel(_ typed: String, by principal: Principal) async throws -> Coupon {
        try PointsService.requireManager(principal)
        let code = try Self.code(typed)
        let tenantID = principal.tenantID
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            guard let coupon = try await CouponStore.find(code, tenantID: tenantID, sql: sql) else { throw DomainError.notFound("The coupon") }
            if let owner = coupon.customerId { _ = try await customers.get(owner, by: principal) }
            guard try await CouponStore.cancel(coupon.id, tenantID: tenantID, by: "user:" + principal.userID.uuidString, at: now, sql: sql) else {
                throw Self.notIssued(try await CouponStore.find(code, tenantID: tenantID, sql: sql) ?? coupon)
            }
            try await AuditLog.record(sql, tenantID: tenantID, branchID: principal.confinedBranch, actor: principal.actor, action: "coupon.cancel",
                                      entity: "coupon", entityID: coupon.id.uuidString, at: now)
            guard let cancelled = try await CouponStore.find(code, tenantID: tenantID, sql: sql) else { throw DomainError.notFound("The coupon") }
            return cancelled
        }
    }

    /// Refuses a coupon that cannot take `basket` now: used or cancelled (409), outside its
    /// validity (409), or a basket below its minimum (422 on `basketField`).
    static func check(_ coupon: Coupon, basket: Money, at now: Date, basketField: String = "basket") throws {
        guard coupon.status == .issued else { throw notIssued(coupon) }
        guard coupon.validFrom <= now, now < coupon.validUntil else {
            throw DomainError(.conflict, "Coupon \(coupon.code) is valid from \(coupon.validFrom) until \(coupon.validUntil).")
        }
        if let minimum = coupon.minimumBasket, basket < minimum {
            throw DomainError.invalid(basketField, .invalidValue, "Coupon \(coupon.code) needs a basket of at least \(minimum.turkish).")
        }
    }

    /// 409 for a coupon no longer issued, saying whether it is used or cancelled.
    static func notIssued(_ coupon: Coupon) -> DomainError {
        DomainError(.conflict, "Coupon \(coupon.code) is \(coupon.status == .cancelled ? "cancelled" : "used already").")
    }

    /// The stored form of a typed code; 404 for one that cannot be a code (its check fails).
    static func code(_ typed: String) throws -> String {
        guard let code = CouponCode.normalized(typed) else {
            throw DomainError(.notFound, "No such coupon: check the code (a character may be mistyped).")
        }
        return code
    }
}
