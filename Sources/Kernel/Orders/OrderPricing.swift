import Contracts
import Foundation

/// The price terms of a customer's type: a discount and list prices by catalog code (F4).
public struct PriceTerms: Sendable, Codable, Equatable {
    /// Taken off every line, in basis points (1500 = 15 %).
    public var discountBasisPoints: Int
    /// Prices that replace the catalog's for this type (a corporate price list), VAT included.
    public var priceList: [String: Money]

    public init(discountBasisPoints: Int = 0, priceList: [String: Money] = [:]) {
        self.discountBasisPoints = discountBasisPoints
        self.priceList = priceList
    }

    enum CodingKeys: String, CodingKey { case discountBasisPoints, priceList }

    /// Either field may be left out: no discount, no list prices.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        discountBasisPoints = try container.decodeIfPresent(Int.self, forKey: .discountBasisPoints) ?? 0
        priceList = try container.decodeIfPresent([String: Money].self, forKey: .priceList) ?? [:]
    }
}

/// One line priced: the module's price, the customer type's discount, VAT split out.
public struct PricedLine: Sendable, Equatable {
    public var line: LineRequest
    public var item: CatalogItem
    public var price: LinePrice
    public var discount: Money
    public var total: Money
    public var net: Money
    public var vat: Money

    var amounts: LineAmounts {
        LineAmounts(gross: price.gross, discount: discount, total: total, vatRate: item.vatRate, net: net, vat: vat)
    }
}

/// What one line adds to an order's totals, whether priced just now or loaded from storage.
struct LineAmounts {
    var gross: Money
    var discount: Money
    var total: Money
    var vatRate: VATRate
    var net: Money
    var vat: Money
}

/// Net and VAT at one rate.
public struct VATLine: Sendable, Codable, Equatable {
    public var rate: VATRate
    public var net: Money
    public var vat: Money

    public init(rate: VATRate, net: Money, vat: Money) {
        self.rate = rate
        self.net = net
        self.vat = vat
    }
}

/// What an order comes to.
public struct OrderTotals: Sendable, Codable, Equatable {
    /// Lines before discounts.
    public var gross: Money
    public var discount: Money
    /// Order-level amounts such as a minimum charge.
    public var adjustments: Money
    /// What the customer pays, VAT included.
    public var total: Money
    public var net: Money
    public var vat: Money
    public var vatBreakdown: [VATLine]
    public var currency = "TRY"
}

/// Prices an order: every line by its sector module after the customer type's list prices, then
/// the type's discount, then the module's order-level adjustments; VAT split per line at its rate.
/// All amounts are VAT-inclusive kuruş, rounded half away from zero at each step.
struct OrderPricing {
    let module: any SectorModule
    let catalog: [String: TenantCatalogItem]
    let terms: PriceTerms
    let settings: SectorSettings

    struct Result {
        var lines: [PricedLine]
        var adjustments: [OrderAdjustment]
        var totals: OrderTotals
    }

    /// Bounds of a line's free text and lists, stated in the OpenAPI document (`LineInput`).
    static let maximumLines = 200
    static let maximumNote = 500
    static let maximumAttributes = 20
    static let maximumAttributeKey = 40
    static let maximumAttributeValue = 200
    static let maximumAddOns = 20
    static let maximumCode = 40

    /// Errors name fields as `items[2].service`. A line, or the order, coming to more than
    /// `Money.maximum` is refused with `amount_too_large` naming `items[2]` (or `items`).
    func price(_ lines: [LineRequest]) throws -> Result {
        var errors = FieldErrors()
        if lines.isEmpty { errors.add("items", .missingField, "An order needs at least one item.") }
        if lines.count > Self.maximumLines { errors.add("items", .invalidValue, "An order has at most \(Self.maximumLines) lines.") }
        var priced: [PricedLine] = []
        for (index, line) in lines.prefix(Self.maximumLines).enumerated() {
            let field = "items[\(index)]"
            guard let line = Self.checkInput(line, field: field, errors: &errors) else { continue }
            guard let entry = catalog[line.service], entry.active, entry.item.kind != .addOn else {
                errors.add("\(field).service", .unknownService, "'\(line.service.prefix(40))' is not a service or product of this business.")
                continue
            }
            var addOns: [CatalogItem] = []
            for (position, code) in line.addOns.enumerated() {
                if let addOn = catalog[code], addOn.active, addOn.item.kind == .addOn {
                    addOns.append(addOn.item)
                } else {
                    errors.add("\(field).addOns[\(position)]", .unknownService, "'\(code.prefix(40))' is not an add-on of this business.")
                }
            }
            guard let normalized = errors.collect(field, { try normalize(line, item: entry.item) }) else { continue }
            let pricedLine = priceLine(normalized, item: entry.item, addOns: addOns)
            guard Self.fits(pricedLine) else {
                errors.add(field, .amountTooLarge, "\(field) comes to more than \(Money.maximum.turkish), the most a line may; check its price, quantity and size.")
                continue
            }
            priced.append(pricedLine)
        }
        try errors.throwIfAny()
        let adjustments = module.adjustments(
            for: priced.map { LineTotal(service: $0.item.code, group: $0.item.group, total: $0.total, vatRate: $0.item.vatRate) },
            settings: settings
        )
        let totals = Self.totals(priced.map(\.amounts), adjustments)
        try Self.checkFits(totals, adjustments)
        return Result(lines: priced, adjustments: adjustments, totals: totals)
    }

    /// One line again after its size was corrected: the module's own checks (as at intake), the
    /// line's bounds, and `amount_too_large` if it no longer fits. Errors name fields relative to
    /// the line (`widthCm`).
    func reprice(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem]) throws -> PricedLine {
        let priced = priceLine(try normalize(line, item: item), item: item, addOns: addOns)
        guard Self.fits(priced) else {
            throw DomainError(.amountTooLarge, "At this size the item comes to more than \(Money.maximum.turkish), the most a line may.")
        }
        return priced
    }

    /// Refuses a size correction that would take the order (its items with `itemID` priced as
    /// `line`, and the module's adjustments for them) beyond `Money.maximum`.
    func checkOrder(_ items: [OrderItem], replacing itemID: UUID, with line: PricedLine) throws {
        let counted = items.filter { $0.stage != Workflow.cancelled }
        let amounts = counted.map {
            $0.id == itemID ? line.amounts
                : LineAmounts(gross: $0.gross, discount: $0.discount, total: $0.total, vatRate: $0.vatRate, net: $0.net, vat: $0.vat)
        }
        let totals = counted.map {
            $0.id == itemID ? LineTotal(service: line.item.code, group: line.item.group, total: line.total, vatRate: line.item.vatRate)
                : LineTotal(service: $0.service, group: $0.group, total: $0.total, vatRate: $0.vatRate)
        }
        let adjustments = module.adjustments(for: totals, settings: settings)
        try Self.checkFits(Self.totals(amounts, adjustments), adjustments)
    }

    /// The module's `normalize`, then the kernel's own bounds on what it returns, so that no
    /// module can let an unbounded quantity or size through to pricing.
    func normalize(_ line: LineRequest, item: CatalogItem) throws -> LineRequest {
        let normalized = try module.normalize(line, item: item)
        var errors = FieldErrors()
        if !PriceLimits.quantity.contains(normalized.quantity) {
            errors.add("quantity", .invalidValue, "quantity must be 1–999.")
        }
        for (name, value) in [("widthCm", normalized.widthCm), ("lengthCm", normalized.lengthCm)] {
            if let value, !PriceLimits.sizeCm.contains(value) {
                errors.add(name, .invalidValue, "\(name) must be 1–5000 cm.")
            }
        }
        try errors.throwIfAny()
        return normalized
    }

    /// A line's texts and lists within their bounds (note trimmed), or nil with the errors recorded.
    static func checkInput(_ line: LineRequest, field: String, errors: inout FieldErrors) -> LineRequest? {
        var line = line
        var problems = FieldErrors()
        problems.plainText("\(field).service", line.service, maximum: maximumCode)
        line.note = problems.optionalText("\(field).note", line.note, maximum: maximumNote, multiline: true)
        if line.attributes.count > maximumAttributes {
            problems.add("\(field).attributes", .invalidValue, "A line has at most \(maximumAttributes) details.")
        }
        for (key, value) in line.attributes.sorted(by: { $0.key < $1.key }) {
            guard problems.plainText("\(field).attributes", key, maximum: maximumAttributeKey) else { continue }
            problems.plainText("\(field).attributes.\(key)", value, maximum: maximumAttributeValue)
        }
        if line.addOns.count > maximumAddOns {
            problems.add("\(field).addOns", .invalidValue, "A line has at most \(maximumAddOns) add-ons.")
        }
        for (position, code) in line.addOns.prefix(maximumAddOns).enumerated() {
            guard problems.plainText("\(field).addOns[\(position)]", code, maximum: maximumCode) else { continue }
            if line.addOns.prefix(position).contains(code) {
                problems.add("\(field).addOns[\(position)]", .invalidValue, "'\(code)' is already an add-on of this line.")
            }
        }
        errors.append(problems)
        return problems.isEmpty ? line : nil
    }

    /// Whether every amount of the line is within `Money.maximum`.
    static func fits(_ line: PricedLine) -> Bool {
        [line.price.unitPrice, line.price.base, line.price.gross, line.discount, line.total, line.net, line.vat].allSatisfy(\.isWithinMaximum)
            && line.price.addOns.allSatisfy(\.amount.isWithinMaximum)
    }

    /// Refuses an order whose totals (or a module's adjustment) are beyond `Money.maximum`.
    static func checkFits(_ totals: OrderTotals, _ adjustments: [OrderAdjustment]) throws {
        let amounts = [totals.gross, totals.discount, totals.adjustments, totals.total, totals.net, totals.vat]
            + totals.vatBreakdown.flatMap { [$0.net, $0.vat] } + adjustments.map(\.amount)
        guard amounts.allSatisfy(\.isWithinMaximum) else {
            throw DomainError.invalid("items", .amountTooLarge,
                                      "The order comes to more than \(Money.maximum.turkish), the most one order may; split it into several orders.")
        }
    }

    func priceLine(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem]) -> PricedLine {
        var item = item
        if let listed = terms.priceList[item.code] {
            item.price = listed
            item.variantPrices = [:]
        }
        let price = module.price(line, item: item, addOns: addOns, settings: settings)
        let discount = price.gross.percentage(basisPoints: terms.discountBasisPoints)
        let total = price.gross - discount
        let (net, vat) = item.vatRate.split(gross: total)
        return PricedLine(line: line, item: item, price: price, discount: discount, total: total, net: net, vat: vat)
    }

    /// An order's totals from its lines (priced now or stored) and adjustments, VAT summed per rate.
    static func totals(_ lines: [LineAmounts], _ adjustments: [OrderAdjustment]) -> OrderTotals {
        var byRate: [Int: VATLine] = [:]
        func add(_ rate: VATRate, _ net: Money, _ vat: Money) {
            var entry = byRate[rate.basisPoints] ?? VATLine(rate: rate, net: .zero, vat: .zero)
            entry.net += net
            entry.vat += vat
            byRate[rate.basisPoints] = entry
        }
        for line in lines { add(line.vatRate, line.net, line.vat) }
        for adjustment in adjustments {
            let (net, vat) = adjustment.vatRate.split(gross: adjustment.amount)
            add(adjustment.vatRate, net, vat)
        }
        let breakdown = byRate.values.sorted { $0.rate.basisPoints > $1.rate.basisPoints }
        let adjustmentTotal = adjustments.reduce(Money.zero) { $0 + $1.amount }
        return OrderTotals(
            gross: lines.reduce(.zero) { $0 + $1.gross },
            discount: lines.reduce(.zero) { $0 + $1.discount },
            adjustments: adjustmentTotal,
            total: lines.reduce(adjustmentTotal) { $0 + $1.total },
            net: breakdown.reduce(.zero) { $0 + $1.net },
            vat: breakdown.reduce(.zero) { $0 + $1.vat },
            vatBreakdown: breakdown
        )
    }
}
