/// An amount of money in minor units (kuruş for TRY). Never a floating-point number.
///
/// Arithmetic never traps: a result that does not fit in `Int` saturates and is marked
/// `overflowed`, and the mark sticks through every later operation. The kernel refuses any
/// amount beyond `Money.maximum` (or marked) with `amount_too_large`, so a saturated value is
/// never priced, stored or shown.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Minor units: 12_550 is 125,50 TL.
    public var minorUnits: Int
    /// Whether an operation that produced this amount overflowed `Int` (the value is saturated).
    public private(set) var overflowed: Bool = false

    public init(minorUnits: Int) {
        self.minorUnits = minorUnits
    }

    public init(integerLiteral value: Int) {
        self.minorUnits = value
    }

    /// Whole lira: `Money(lira: 120)` is 12 000 kuruş.
    public init(lira: Int) {
        self = Money(minorUnits: lira) * 100
    }

    fileprivate init(saturating value: Int, overflowed: Bool) {
        self.minorUnits = value
        self.overflowed = overflowed
    }

    private static func saturated(negative: Bool) -> Money {
        Money(saturating: negative ? Int.min : Int.max, overflowed: true)
    }

    public static let zero = Money(minorUnits: 0)

    /// The largest amount a line or an order may come to: 10 000 000 000,00 TL. Anything above it
    /// (or below its negative) is refused with `amount_too_large`.
    public static let maximum = Money(minorUnits: 1_000_000_000_000)
    /// The largest price a tenant may set for one unit (or one m²): 1 000 000,00 TL.
    public static let maximumPrice = Money(minorUnits: 100_000_000)

    /// Whether the amount is a usable figure: not overflowed and within ±`maximum`.
    public var isWithinMaximum: Bool {
        !overflowed && minorUnits <= Money.maximum.minorUnits && minorUnits >= -Money.maximum.minorUnits
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        let (sum, overflow) = lhs.minorUnits.addingReportingOverflow(rhs.minorUnits)
        if overflow { return saturated(negative: rhs.minorUnits < 0) }
        return Money(saturating: sum, overflowed: lhs.overflowed || rhs.overflowed)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        let (difference, overflow) = lhs.minorUnits.subtractingReportingOverflow(rhs.minorUnits)
        if overflow { return saturated(negative: rhs.minorUnits > 0) }
        return Money(saturating: difference, overflowed: lhs.overflowed || rhs.overflowed)
    }

    public static func * (lhs: Money, rhs: Int) -> Money {
        let (product, overflow) = lhs.minorUnits.multipliedReportingOverflow(by: rhs)
        if overflow { return saturated(negative: (lhs.minorUnits < 0) != (rhs < 0)) }
        return Money(saturating: product, overflowed: lhs.overflowed)
    }

    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// `self × numerator ÷ denominator`, rounded half away from zero to the minor unit. The
    /// product is taken at double width, so only a result that does not fit overflows (and
    /// saturates); a denominator of zero gives an overflowed zero. A negative denominator flips the sign.
    public func scaled(by numerator: Int, over denominator: Int) -> Money {
        guard denominator != 0 else { return Money(saturating: 0, overflowed: true) }
        let negative = ((minorUnits < 0) != (numerator < 0)) != (denominator < 0)
        let divisor = denominator.magnitude
        let product = minorUnits.magnitude.multipliedFullWidth(by: numerator.magnitude)
        guard product.high < divisor else { return Self.saturated(negative: negative) }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        let roundsAway = remainder >= divisor - remainder   // 2 × remainder ≥ divisor, without overflow
        let (magnitude, carry) = quotient.addingReportingOverflow(roundsAway ? 1 : 0)
        guard !carry, magnitude <= UInt(Int.max) else { return Self.saturated(negative: negative) }
        let value = Int(magnitude)
        return Money(saturating: negative ? -value : value, overflowed: overflowed)
    }

    /// This share of the amount in basis points (1500 = 15 %), rounded half away from zero.
    public func percentage(basisPoints: Int) -> Money {
        scaled(by: basisPoints, over: 10_000)
    }

    /// The amount written with two decimals, e.g. `1161.60`.
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let value = minorUnits.magnitude
        let cents = value % 100
        return "\(sign)\(value / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The amount as Turkish shops write it: `1.161,60 TL`.
    public var turkish: String {
        let sign = minorUnits < 0 ? "-" : ""
        let value = minorUnits.magnitude
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

    /// Splits a VAT-inclusive amount into net and VAT, rounding the net half away from zero;
    /// `net + vat` is always `gross`. A rate of −100 % or beyond `Int` gives overflowed amounts.
    public func split(gross: Money) -> (net: Money, vat: Money) {
        let (denominator, overflow) = 10_000.addingReportingOverflow(basisPoints)
        let net = overflow ? Money(saturating: 0, overflowed: true) : gross.scaled(by: 10_000, over: denominator)
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
