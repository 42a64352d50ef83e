/// An amount of money in minor units (kuruş for TRY). Never a floating-point number.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Minor units: 12_550 is 125,50 TL.
    public var minorUnits: Int

    public init(minorUnits: Int) {
        self.minorUnits = minorUnits
    }

    public init(integerLiteral value: Int) {
        self.minorUnits = value
    }

    /// Whole lira: `Money(lira: 120)` is 12 000 kuruş.
    public init(lira: Int) {
        self.minorUnits = lira * 100
    }

    public static let zero = Money(minorUnits: 0)

    public static func + (lhs: Money, rhs: Money) -> Money { Money(minorUnits: lhs.minorUnits + rhs.minorUnits) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(minorUnits: lhs.minorUnits - rhs.minorUnits) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(minorUnits: lhs.minorUnits * rhs) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.minorUnits += rhs.minorUnits }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// `self × numerator ÷ denominator`, rounded half away from zero to the minor unit.
    public func scaled(by numerator: Int, over denominator: Int) -> Money {
        precondition(denominator > 0, "denominator must be positive")
        let product = minorUnits * numerator
        let quotient = product / denominator
        let remainder = product % denominator
        let roundsAway = 2 * abs(remainder) >= denominator
        return Money(minorUnits: roundsAway ? quotient + (product < 0 ? -1 : 1) : quotient)
    }

    /// This share of the amount in basis points (1500 = 15 %), rounded half away from zero.
    public func percentage(basisPoints: Int) -> Money {
        scaled(by: basisPoints, over: 10_000)
    }

    /// The amount written with two decimals, e.g. `1161.60`.
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let value = abs(minorUnits)
        let cents = value % 100
        return "\(sign)\(value / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The amount as Turkish shops write it: `1.161,60 TL`.
    public var turkish: String {
        let sign = minorUnits < 0 ? "-" : ""
        let value = abs(minorUnits)
        var whole = String(value / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "." + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        let cents = value % 100
        return "\(sign)\(whole)\(grouped),\(cents < 10 ? "0" : "")\(cents) TL"
    }

    public init(from decoder: any Decoder) throws {
        minorUnits = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(minorUnits)
    }
}

/// A VAT rate in basis points: 2000 is 20 %, 1000 is 10 %, 100 is 1 %.
public struct VATRate: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral {
    public var basisPoints: Int

    public init(basisPoints: Int) {
        self.basisPoints = basisPoints
    }

    public init(integerLiteral value: Int) {
        self.basisPoints = value
    }

    /// Turkey's standard rate (most services).
    public static let standard: VATRate = 2000
    /// Turkey's reduced rate (some goods).
    public static let reduced: VATRate = 1000

    /// Splits a VAT-inclusive amount into net and VAT, rounding the net half away from zero.
    public func split(gross: Money) -> (net: Money, vat: Money) {
        let net = gross.scaled(by: 10_000, over: 10_000 + basisPoints)
        return (net, gross - net)
    }

    public init(from decoder: any Decoder) throws {
        basisPoints = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(basisPoints)
    }
}
