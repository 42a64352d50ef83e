import Contracts
import Foundation

/// A stamp card ("5 washes, the 6th free"): every qualifying purchase earns a stamp, and each time
/// a customer's stamps reach `stampsNeeded` they are exchanged for a coupon of `rewardAmount`
/// kuruş for that customer, valid `rewardValidDays` days.
public struct StampCard: Sendable, Codable, Equatable {
    public let id: UUID
    public let name: String
    public let stampsNeeded: Int
    /// The catalog services whose items earn a stamp each (an order's item of such a service);
    /// empty: every handed-over order and every till sale earns one stamp.
    public let services: [String]
    public let rewardAmount: Money
    public let rewardValidDays: Int
    /// Retired cards earn nothing more; the stamps already earned stay on record.
    public let active: Bool
    public let createdAt: Date
}

/// A stamp card as the owner asks for it.
public struct StampCardInput: Sendable, Decodable {
    public var name: String?
    public var stampsNeeded: Int?
    public var services: [String]?
    public var rewardAmount: Money?
    public var rewardValidDays: Int?

    public init(name: String?, stampsNeeded: Int?, services: [String]? = nil, rewardAmount: Money?, rewardValidDays: Int? = nil) {
        self.name = name
        self.stampsNeeded = stampsNeeded
        self.services = services
        self.rewardAmount = rewardAmount
        self.rewardValidDays = rewardValidDays
    }
}

/// A customer's stamps on one active card: how many, of how many needed.
public struct CustomerStamps: Sendable, Codable, Equatable {
    public let cardId: UUID
    public let name: String
    public let stamps: Int
    public let stampsNeeded: Int
}
