import Foundation

/// One movement of a customer's points. Entries are never changed.
public struct PointsEntry: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Earned on a sale (a lot).
        case earn
        /// Loaded by hand or in bulk (a lot).
        case load
        /// Spent at checkout (from a lot).
        case redeem
        /// Lapsed at the end of its lot's life.
        case expire
        /// Taken off by hand or in bulk (from a lot).
        case remove

        /// Whether an entry of this kind is a lot of its own.
        public var isLot: Bool { self == .earn || self == .load }
    }

    public let id: UUID
    public let customerId: UUID
    public let kind: Kind
    /// Signed: positive for a lot, negative for what is taken from one.
    public let points: Int
    /// The lot a negative entry takes from.
    public let lotId: UUID?
    /// When a lot lapses.
    public let expiresAt: Date?
    public let orderId: UUID?
    public let reason: String?
    public let occurredAt: Date
    /// `user:<id>` or `system`.
    public let recordedBy: String
}

/// A lot and what is left of it.
public struct PointsLot: Sendable, Codable, Equatable {
    public let id: UUID
    public let kind: PointsEntry.Kind
    public let points: Int
    public let remaining: Int
    public let earnedAt: Date
    public let expiresAt: Date
}

/// A customer's points: the balance, the lots with points left (soonest to lapse first, at most
/// 100), and the latest movements.
public struct PointsAccount: Sendable, Encodable, Equatable {
    public let customerId: UUID
    public let points: Int
    public let lots: [PointsLot]
    public let entries: [PointsEntry]
}
