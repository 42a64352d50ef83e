import Contracts
import Foundation

/// Something that happened to an order, published by the kernel inside the transaction that made
/// it happen. Notifications, the customer account, loyalty and invoices hang on these.
public struct OrderEvent: Sendable, Equatable, Codable {
    public let tenantId: UUID
    public let orderId: UUID
    /// The order's number as the customer sees it (`S000042`).
    public let number: String
    public let customerId: UUID
    public let branchId: UUID
    public let occurredAt: Date
    public let change: OrderChange

    /// A stable name for logs and the outbox, e.g. `order.ready`.
    public var name: String { "order." + change.name }
}

/// What changed. Stages are the sector's stage ids.
public enum OrderChange: Sendable, Equatable, Codable {
    /// Taken in, in its first stage, for this total.
    case created(stage: String, total: Money)
    /// One item moved (a scan, cancel, return or re-work).
    case itemMoved(itemId: UUID, tag: String, from: String, to: String, kind: ItemEvent.Kind, reason: String?)
    /// The order (its least advanced item) moved; `notifies` when the sector notifies the customer on entering `to`.
    case stageChanged(from: String, to: String, notifies: Bool)
    /// Every item is ready for the customer (the sector's ready stage).
    case ready
    /// Every item is in the customer's hands (the sector's delivered stage).
    case delivered
    /// Every item is cancelled.
    case cancelled(reason: String?)
    /// What the customer pays changed (a cancelled item, a corrected measurement).
    case totalChanged(from: Money, to: Money)
    /// An item priced by area was measured again.
    case measurementCorrected(itemId: UUID, tag: String, from: Size, to: Size)

    public struct Size: Sendable, Equatable, Codable {
        public let widthCm: Int?
        public let lengthCm: Int?
    }

    public var name: String {
        switch self {
        case .created: "created"
        case .itemMoved: "item_moved"
        case .stageChanged: "stage_changed"
        case .ready: "ready"
        case .delivered: "delivered"
        case .cancelled: "cancelled"
        case .totalChanged: "total_changed"
        case .measurementCorrected: "measurement_corrected"
        }
    }
}
