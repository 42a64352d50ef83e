import Contracts
import Foundation

/// A single-use coupon (voucher).
public struct Coupon: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// `value` kuruş off, at most the basket.
        case amount
        /// `value` per cent of the basket off, rounded down to the kuruş.
        case percent
    }

    public enum Status: String, Sendable, Codable {
        case issued, redeemed, cancelled
    }

    public let id: UUID
    /// As shown and typed: `ABCD-EFGH`.
    public let code: String
    public let batchId: UUID
    /// The customer it is for; nil for anyone.
    public let customerId: UUID?
    public let kind: Kind
    public let value: Int
    /// Kuruş the basket must reach.
    public let minimumBasket: Money?
    public let validFrom: Date
    public let validUntil: Date
    public let status: Status
    /// Kuruş taken off when redeemed.
    public let discount: Money?
    public let orderId: UUID?
    public let createdAt: Date

    /// What the coupon takes off `basket`.
    func discount(on basket: Money) -> Money {
        switch kind {
        case .amount: Money(minorUnits: min(value, basket.minorUnits))
        case .percent: Money(minorUnits: basket.minorUnits / 100 * value + basket.minorUnits % 100 * value / 100)
        }
    }
}

/// A batch of coupons: N for anyone, or one for each customer named.
public struct CouponBatchInput: Sendable, Decodable {
    public var count: Int?
    public var customerIds: [UUID]?
    public var kind: String?
    public var value: Int?
    public var minimumBasket: Money?
    public var validFrom: Date?
    public var validUntil: Date?

    public init(count: Int? = nil, customerIds: [UUID]? = nil, kind: String?, value: Int?, minimumBasket: Money? = nil,
                validFrom: Date? = nil, validUntil: Date?) {
        self.count = count
        self.customerIds = customerIds
        self.kind = kind
        self.value = value
        self.minimumBasket = minimumBasket
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// The coupons a batch made.
public struct CouponBatch: Sendable, Encodable, Equatable {
    public let batchId: UUID
    public let coupons: [Coupon]
}

/// A coupon redeemed: towards an order (its total is the basket, and the discount is posted on
/// the customer's account), or on a basket the till states.
public struct CouponRedemptionInput: Sendable, Decodable {
    public var orderId: UUID?
    public var basket: Money?

    public init(orderId: UUID? = nil, basket: Money? = nil) {
        self.orderId = orderId
        self.basket = basket
    }
}
