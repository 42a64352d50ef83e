import Contracts
import Foundation

/// A rung of the tenant's ladder (Bronze / Silver / Gold): customers whose spend over the rolling
/// year reaches `minimumSpend` hold it, and earn `pointsMultiplier` per cent of the usual points.
public struct Tier: Sendable, Codable, Equatable {
    public let code: String
    public let name: String
    public let minimumSpend: Money
    /// 100 is the usual points; 150 half as many again.
    public let pointsMultiplier: Int

    public init(code: String, name: String, minimumSpend: Money, pointsMultiplier: Int) {
        self.code = code
        self.name = name
        self.minimumSpend = minimumSpend
        self.pointsMultiplier = pointsMultiplier
    }
}

/// The whole ladder as the owner sets it (it replaces the one before).
public struct TierLadderInput: Sendable, Decodable {
    public struct Rung: Sendable, Decodable {
        public var code: String?
        public var name: String?
        public var minimumSpend: Money?
        public var pointsMultiplier: Int?

        public init(code: String?, name: String?, minimumSpend: Money?, pointsMultiplier: Int? = nil) {
            self.code = code
            self.name = name
            self.minimumSpend = minimumSpend
            self.pointsMultiplier = pointsMultiplier
        }
    }

    public var items: [Rung]?

    public init(items: [Rung]?) { self.items = items }
}

/// Where a customer stands: the tier they hold (none below the first rung), what they spent over
/// the rolling year, and the next rung with what it takes.
public struct TierStanding: Sendable, Codable, Equatable {
    public let tier: Tier?
    public let yearSpend: Money
    public let nextTier: Tier?
    /// Kuruş still to spend for the next tier.
    public let toNextTier: Money?
}
