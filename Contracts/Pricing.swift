/// A line as the front desk enters it.
public struct LineRequest: Sendable, Codable, Equatable {
    /// A catalog code.
    public var service: String
    public var quantity: Int
    /// Measured size, for lines priced per m².
    public var widthCm: Int?
    public var lengthCm: Int?
    /// Sector details: `plate`, `vehicleClass`, `colour`…, as the module declares them.
    public var attributes: [String: String]
    /// Catalog codes of add-ons for this line.
    public var addOns: [String]
    public var note: String?

    public init(
        service: String, quantity: Int = 1, widthCm: Int? = nil, lengthCm: Int? = nil,
        attributes: [String: String] = [:], addOns: [String] = [], note: String? = nil
    ) {
        self.service = service
        self.quantity = quantity
        self.widthCm = widthCm
        self.lengthCm = lengthCm
        self.attributes = attributes
        self.addOns = addOns
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case service, quantity, widthCm, lengthCm, attributes, addOns, note
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        quantity = try container.decodeIfPresent(Int.self, forKey: .quantity) ?? 1
        widthCm = try container.decodeIfPresent(Int.self, forKey: .widthCm)
        lengthCm = try container.decodeIfPresent(Int.self, forKey: .lengthCm)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        addOns = try container.decodeIfPresent([String].self, forKey: .addOns) ?? []
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    /// Area in cm² when both sides are measured; `Int.max` if the product does not fit (it is
    /// then priced as an overflowed amount and refused, never trapped on).
    public var areaSquareCentimetres: Int? {
        guard let widthCm, let lengthCm else { return nil }
        let (area, overflow) = widthCm.multipliedReportingOverflow(by: lengthCm)
        return overflow ? Int.max : area
    }
}

/// What one line costs before the customer's discount: VAT included.
public struct LinePrice: Sendable, Codable, Equatable {
    /// Price per unit (per m² for area units) that was applied.
    public var unitPrice: Money
    /// `unitPrice × quantity`, or `× area` for area units.
    public var base: Money
    /// Each add-on's amount.
    public var addOns: [PricePart]
    /// `base` plus add-ons.
    public var gross: Money

    public init(unitPrice: Money, base: Money, addOns: [PricePart] = []) {
        self.unitPrice = unitPrice
        self.base = base
        self.addOns = addOns
        self.gross = addOns.reduce(base) { $0 + $1.amount }
    }
}

public struct PricePart: Sendable, Codable, Equatable {
    public var code: String
    public var amount: Money

    public init(code: String, amount: Money) {
        self.code = code
        self.amount = amount
    }
}

/// A priced line after the customer's discount, as order-level rules see it.
public struct LineTotal: Sendable, Equatable {
    public var service: String
    public var group: String?
    public var total: Money
    public var vatRate: VATRate

    public init(service: String, group: String?, total: Money, vatRate: VATRate) {
        self.service = service
        self.group = group
        self.total = total
        self.vatRate = vatRate
    }
}

/// An amount added to (or taken from) a whole order by a sector rule, e.g. a minimum charge.
public struct OrderAdjustment: Sendable, Codable, Equatable {
    public var code: String
    public var name: LocalizedText
    /// VAT included.
    public var amount: Money
    public var vatRate: VATRate

    public init(code: String, name: LocalizedText, amount: Money, vatRate: VATRate) {
        self.code = code
        self.name = name
        self.amount = amount
        self.vatRate = vatRate
    }
}

/// The bounds of every input that prices a line, enforced by the kernel and stated in the OpenAPI
/// document. Together with `Money.maximum` they keep every amount far inside `Int`.
public enum PriceLimits {
    /// A unit price (per m² for area units), a variant price or a list price, in kuruş: 0 – 1 000 000,00 TL.
    public static let price = 0...Money.maximumPrice.minorUnits
    /// A surcharge add-on's share of its line: up to +500 %.
    public static let surchargeBasisPoints = 0...50_000
    /// A customer type's discount: up to 100 %.
    public static let discountBasisPoints = 0...10_000
    /// A VAT rate: up to 50 %.
    public static let vatBasisPoints = 0...5_000
    public static let quantity = 1...999
    /// Width and length of a line priced per m².
    public static let sizeCm = 1...5_000
}

/// The pricing every module starts from: a unit price (or the price of the line's variant) times
/// the quantity, or times the area for m² units; per-unit add-ons times the quantity; surcharge
/// add-ons as a share of the base. Modules call it and add their own rules around it.
public enum StandardPricing {
    public static func price(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem], variant: String? = nil) -> LinePrice {
        let unitPrice = variant.flatMap { item.variantPrices[$0] } ?? item.price
        let base: Money
        if item.unit == .squareMetre {
            base = (unitPrice * line.quantity).scaled(by: line.areaSquareCentimetres ?? 0, over: 10_000)
        } else {
            base = unitPrice * line.quantity
        }
        let parts = addOns.map { addOn in
            let amount: Money
            if let surcharge = addOn.surchargeBasisPoints {
                amount = base.percentage(basisPoints: surcharge)
            } else if addOn.unit == .squareMetre {
                amount = (addOn.price * line.quantity).scaled(by: line.areaSquareCentimetres ?? 0, over: 10_000)
            } else {
                amount = addOn.price * line.quantity
            }
            return PricePart(code: addOn.code, amount: amount)
        }
        return LinePrice(unitPrice: unitPrice, base: base, addOns: parts)
    }

    /// Checks quantity and measurements, and the attributes against their declarations.
    /// Errors name fields relative to the line (`quantity`, `attributes.plate`).
    public static func validate(_ line: LineRequest, item: CatalogItem, attributes declared: [LineAttribute]) throws -> LineRequest {
        var errors = FieldErrors()
        if !PriceLimits.quantity.contains(line.quantity) {
            errors.add("quantity", .invalidValue, "quantity must be 1–999.")
        }
        var line = line
        if item.unit == .squareMetre {
            for (field, value) in [("widthCm", line.widthCm), ("lengthCm", line.lengthCm)] {
                if let value {
                    if !PriceLimits.sizeCm.contains(value) { errors.add(field, .invalidValue, "\(field) must be 1–5000 cm.") }
                } else {
                    errors.add(field, .missingField, "\(item.code) is priced per m²: \(field) is required.")
                }
            }
        } else {
            line.widthCm = nil
            line.lengthCm = nil
        }
        let applicable = declared.filter { $0.applies(to: item) }
        for (key, value) in line.attributes {
            guard let attribute = applicable.first(where: { $0.key == key }) else {
                errors.add("attributes.\(key)", .invalidValue, "\(key) is not a detail of \(item.code) lines.")
                continue
            }
            if let choices = attribute.choices, !choices.contains(value) {
                errors.add("attributes.\(key)", .invalidValue, "\(key) must be one of \(choices.joined(separator: ", ")).")
            }
        }
        for attribute in applicable where attribute.required && (line.attributes[attribute.key] ?? "").isEmpty {
            errors.add("attributes.\(attribute.key)", .missingField, "\(attribute.key) is required for \(item.code).")
        }
        try errors.throwIfAny()
        return line
    }
}
