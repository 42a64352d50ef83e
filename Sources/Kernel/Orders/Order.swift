import Contracts
import Foundation

/// An order (F5): a customer's items taken in at a branch, priced, each with its tag.
public struct Order: Sendable, Codable, Equatable {
    public let id: UUID
    /// Human-friendly number, sequential per tenant: `S000042`.
    public let number: String
    public let customerId: UUID
    public let branchId: UUID
    /// The least advanced stage of its items (not counting cancelled ones); `cancelled` when all are.
    public let stage: String
    public let promisedAt: Date
    public let notes: String?
    public let pickupAddress: Address?
    public let deliveryAddress: Address?
    public let courierId: UUID?
    /// The customer type whose price terms priced the order.
    public let customerType: String
    public let discountBasisPoints: Int
    public let items: [OrderItem]
    public let adjustments: [OrderAdjustment]
    public let totals: OrderTotals
    public let version: Int
    public let createdBy: UUID
    public let createdAt: Date
    public let updatedAt: Date
}

/// One tagged item of an order and where it is now.
public struct OrderItem: Sendable, Codable, Equatable {
    public let id: UUID
    public let position: Int
    /// The printed tag (barcode) the item is scanned by.
    public let tag: String
    public let service: String
    /// The service's name in the tenant's language when the order was taken.
    public let serviceName: String
    public let group: String?
    public let unit: PricingUnit
    public let quantity: Int
    public let widthCm: Int?
    public let lengthCm: Int?
    public let attributes: [String: String]
    public let addOns: [PricePart]
    public let note: String?
    public let unitPrice: Money
    public let base: Money
    public let gross: Money
    public let discount: Money
    public let total: Money
    public let vatRate: VATRate
    public let net: Money
    public let vat: Money
    public let stage: String
    public let stageSince: Date
    /// The branch the item was last scanned at.
    public let branchId: UUID
    /// The staff member who last scanned it.
    public let holderId: UUID?
    public let reworkCount: Int
}

/// A new order as the front desk submits it.
public struct OrderDraft: Sendable, Decodable {
    public var customerId: UUID?
    /// For owners and accountants; branch staff always take orders at their own branch.
    public var branchId: UUID?
    public var promisedAt: Date?
    public var notes: String?
    public var items: [LineRequest]?
    public var pickupAddress: Address?
    public var deliveryAddress: Address?
    public var courierId: UUID?

    public init(customerId: UUID?, items: [LineRequest]?, branchId: UUID? = nil, promisedAt: Date? = nil, notes: String? = nil,
                pickupAddress: Address? = nil, deliveryAddress: Address? = nil, courierId: UUID? = nil) {
        self.customerId = customerId
        self.branchId = branchId
        self.promisedAt = promisedAt
        self.notes = notes
        self.items = items
        self.pickupAddress = pickupAddress
        self.deliveryAddress = deliveryAddress
        self.courierId = courierId
    }
}

/// A price worked out without taking the order.
public struct Quote: Sendable, Encodable {
    public struct Line: Sendable, Encodable {
        public let service: String
        public let serviceName: String
        public let quantity: Int
        public let widthCm: Int?
        public let lengthCm: Int?
        public let attributes: [String: String]
        public let unitPrice: Money
        public let base: Money
        public let addOns: [PricePart]
        public let gross: Money
        public let discount: Money
        public let total: Money
        public let vatRate: VATRate
        public let net: Money
        public let vat: Money
    }

    public let customerType: String
    public let discountBasisPoints: Int
    public let items: [Line]
    public let adjustments: [OrderAdjustment]
    public let totals: OrderTotals
}

/// One move of an item, as its history shows it.
public struct ItemEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case intake, scan, cancel, `return`, rework, measurement
    }

    public let kind: Kind
    public let fromStage: String?
    public let toStage: String
    public let reason: String?
    public let userId: UUID?
    public let branchId: UUID?
    public let at: Date
}

/// Where a tagged item is, with whom, since when, and how it got there.
public struct ItemTrace: Sendable, Encodable {
    public struct OrderSummary: Sendable, Encodable {
        public let id: UUID
        public let number: String
        public let stage: String
        public let promisedAt: Date
        public let customerId: UUID
        public let customerCode: String
        public let customerName: String
    }

    public struct Holder: Sendable, Encodable {
        public let id: UUID
        public let name: String
    }

    public let item: OrderItem
    public let stageName: LocalizedText?
    public let order: OrderSummary
    public let branchName: String
    public let holder: Holder?
    /// Stages a scan may move the item to now.
    public let allowedStages: [String]
    public let history: [ItemEvent]
}
