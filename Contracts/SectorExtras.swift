/// How a sector's item tags look: a short prefix before the kernel's number and check character,
/// e.g. `KT` → `KT0001C7`.
public struct TagFormat: Sendable, Equatable {
    /// 1–3 uppercase ASCII letters.
    public var prefix: String
    /// The first line printed on a label above the barcode.
    public var labelTitle: LocalizedText
    /// Line attributes printed on the label after the service (a car's plate), in this order.
    public var printedAttributes: [String]

    public init(prefix: String, labelTitle: LocalizedText, printedAttributes: [String] = []) {
        self.prefix = prefix
        self.labelTitle = labelTitle
        self.printedAttributes = printedAttributes
    }
}

/// A figure a sector watches, computed by the kernel over the orders of a period.
public struct SectorStatistic: Sendable, Equatable {
    public enum Measure: Sendable, Equatable {
        /// Items per catalog code.
        case itemsByService
        /// Revenue per catalog code.
        case revenueByService
        /// Square metres handled (lines priced per m²).
        case areaTotal
        /// Items of the first codes against items of the second (shirts against suits).
        case ratio(numerator: [String], denominator: [String])
        /// Items per value of a line attribute (vehicle class).
        case attributeMix(String)
    }

    public var id: String
    public var name: LocalizedText
    public var measure: Measure

    public init(id: String, name: LocalizedText, measure: Measure) {
        self.id = id
        self.name = name
        self.measure = measure
    }
}

/// A tenant-adjustable setting (a sector's minimum charge, an SMS sender title, an SMTP password…),
/// declared by its owner (the kernel, a sector module or a feature module) with its type and bounds.
public struct SettingDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Whole minor units of money.
        case money
        /// A share in basis points (1500 = 15 %).
        case basisPoints = "basis_points"
        case integer
        case boolean
        /// A line of text, matching `pattern` when one is given.
        case text
        /// Text that is stored encrypted and never shown again (a password, an API key).
        case secret
    }

    public var key: String
    public var name: LocalizedText
    public var kind: Kind
    /// The default of integer kinds, in the kind's unit (booleans as 0 and 1).
    public var defaultValue: Int
    /// Allowed values of integer kinds.
    public var range: ClosedRange<Int>
    /// The default of a text setting.
    public var defaultText: String?
    /// A regular expression a text or secret value must match as a whole.
    public var pattern: String?
    /// Longest text or secret, in Unicode scalars.
    public var maximumLength: Int

    /// An integer, money, basis-points or boolean setting; `range` defaults by kind.
    public init(key: String, name: LocalizedText, kind: Kind, defaultValue: Int, range: ClosedRange<Int>? = nil) {
        self.key = key
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.range = range ?? Self.defaultRange(kind)
        self.defaultText = nil
        self.pattern = nil
        self.maximumLength = 0
    }

    /// A text or secret setting.
    public init(key: String, name: LocalizedText, kind: Kind, defaultText: String? = nil, pattern: String? = nil, maximumLength: Int = 200) {
        self.key = key
        self.name = name
        self.kind = kind
        self.defaultValue = 0
        self.range = 0...0
        self.defaultText = defaultText
        self.pattern = pattern
        self.maximumLength = maximumLength
    }

    public var isInteger: Bool { kind != .text && kind != .secret }

    static func defaultRange(_ kind: Kind) -> ClosedRange<Int> {
        switch kind {
        case .money: 0...100_000_000
        case .basisPoints: 0...100_000
        case .integer: 0...1_000_000
        case .boolean: 0...1
        case .text, .secret: 0...0
        }
    }

    /// What makes the declaration unusable (a default outside its range, a pattern that does not compile).
    public func problems() -> [String] {
        var problems: [String] = []
        if !(2...48).contains(key.count) || !key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) {
            problems.append("setting key '\(key)' must be 2–48 lowercase letters, digits or _")
        }
        if isInteger && !range.contains(defaultValue) { problems.append("setting \(key): default \(defaultValue) outside \(range)") }
        if !isInteger {
            if !(1...10_000).contains(maximumLength) { problems.append("setting \(key): maximum length must be 1–10000") }
            if let pattern, (try? Regex(pattern)) == nil { problems.append("setting \(key): pattern does not compile") }
            if kind == .secret && defaultText != nil { problems.append("setting \(key): a secret has no default") }
        }
        return problems
    }
}

/// A tenant's values of its sector's settings, defaults filled in.
public struct SectorSettings: Sendable, Equatable {
    public var values: [String: Int]
    /// Text settings (never secrets: those are read only by the parts that use them).
    public var texts: [String: String]

    public init(values: [String: Int], texts: [String: String] = [:]) {
        self.values = values
        self.texts = texts
    }

    public func text(_ key: String) -> String? { texts[key] }

    public func money(_ key: String) -> Money { Money(minorUnits: values[key] ?? 0) }
    public func integer(_ key: String) -> Int { values[key] ?? 0 }
    public func flag(_ key: String) -> Bool { (values[key] ?? 0) != 0 }
}
