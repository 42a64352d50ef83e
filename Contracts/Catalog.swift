/// What a line of an order is counted in.
public enum PricingUnit: String, Sendable, Codable, CaseIterable {
    case piece, pair, item, vehicle, package, hour
    /// Priced by area: width × length, measured in centimetres.
    case squareMetre = "m2"
}

/// One thing a business sells: a service, an add-on to a service, or a product.
public struct CatalogItem: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case service
        /// Added to a service line (stain treatment, express); priced per unit or as a surcharge.
        case addOn = "add_on"
        /// Goods sold at the counter.
        case product
    }

    /// Stable code, lowercase: `shirt`, `machine_woven`, `full_detail`.
    public var code: String
    public var name: LocalizedText
    public var kind: Kind
    public var unit: PricingUnit
    /// Price per unit (per m² for area units), VAT included, as Turkish shops quote.
    public var price: Money
    /// For add-ons charged as a share of their line (express +50 % = 5000).
    public var surchargeBasisPoints: Int?
    /// Prices by the value of the module's variant attribute (e.g. vehicle class), replacing `price`.
    public var variantPrices: [String: Money]
    public var vatRate: VATRate
    /// A grouping for screens and statistics: `garment`, `carpet`, `package`, `labour`.
    public var group: String?

    public init(
        code: String, name: LocalizedText, kind: Kind = .service, unit: PricingUnit, price: Money,
        surchargeBasisPoints: Int? = nil, variantPrices: [String: Money] = [:], vatRate: VATRate = .standard, group: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.unit = unit
        self.price = price
        self.surchargeBasisPoints = surchargeBasisPoints
        self.variantPrices = variantPrices
        self.vatRate = vatRate
        self.group = group
    }
}

/// A sector-specific detail recorded on an order line: a plate, a vehicle class, a colour.
public struct LineAttribute: Sendable, Codable, Equatable {
    public var key: String
    public var name: LocalizedText
    public var required: Bool
    /// The values allowed, when the attribute is a choice (vehicle classes).
    public var choices: [String]?
    /// Catalog groups the attribute applies to; nil for every line.
    public var groups: [String]?

    public init(key: String, name: LocalizedText, required: Bool = false, choices: [String]? = nil, groups: [String]? = nil) {
        self.key = key
        self.name = name
        self.required = required
        self.choices = choices
        self.groups = groups
    }

    public func applies(to item: CatalogItem) -> Bool {
        groups.map { groups in item.group.map(groups.contains) ?? false } ?? true
    }
}
