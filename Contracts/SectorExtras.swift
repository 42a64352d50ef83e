/// How a sector's item tags look: a short prefix before the kernel's number and check character,
/// e.g. `KT` → `KT0001C7`.
public struct TagFormat: Sendable, Equatable {
    /// 1–3 uppercase ASCII letters.
    public var prefix: String
    /// The first line printed on a label above the barcode.
    public var labelTitle: LocalizedText

    public init(prefix: String, labelTitle: LocalizedText) {
        self.prefix = prefix
        self.labelTitle = labelTitle
    }
}

/// A message a customer receives when their order enters a stage, in Turkish and English.
/// Placeholders: `{customer}` (with the right form of address), `{order}`, `{amount}`,
/// `{readyAt}`, `{business}`, `{branchPhone}`.
public struct MessageTemplate: Sendable, Equatable {
    public var stage: String
    public var text: LocalizedText

    public init(stage: String, text: LocalizedText) {
        self.stage = stage
        self.text = text
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

/// A tenant-adjustable setting of a sector (minimum charge, express surcharge…).
public struct SettingDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Whole minor units of money.
        case money
        /// A share in basis points (1500 = 15 %).
        case basisPoints = "basis_points"
        case integer
        case boolean
    }

    public var key: String
    public var name: LocalizedText
    public var kind: Kind
    /// The default, in the kind's unit (booleans as 0 and 1).
    public var defaultValue: Int

    public init(key: String, name: LocalizedText, kind: Kind, defaultValue: Int) {
        self.key = key
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
    }
}

/// A tenant's values of its sector's settings, defaults filled in.
public struct SectorSettings: Sendable, Equatable {
    public var values: [String: Int]

    public init(values: [String: Int]) {
        self.values = values
    }

    public func money(_ key: String) -> Money { Money(minorUnits: values[key] ?? 0) }
    public func integer(_ key: String) -> Int { values[key] ?? 0 }
    public func flag(_ key: String) -> Bool { (values[key] ?? 0) != 0 }
}
