import Contracts

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

    /// Errors name fields as `items[2].service`.
    func price(_ lines: [LineRequest]) throws -> Result {
        var errors = FieldErrors()
        if lines.isEmpty { errors.add("items", .missingField, "An order needs at least one item.") }
        if lines.count > 200 { errors.add("items", .invalidValue, "An order has at most 200 lines.") }
        var priced: [PricedLine] = []
        for (index, line) in lines.prefix(200).enumerated() {
            let field = "items[\(index)]"
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
            guard let normalized = errors.collect(field, { try module.normalize(line, item: entry.item) }) else { continue }
            priced.append(priceLine(normalized, item: entry.item, addOns: addOns))
        }
        try errors.throwIfAny()
        let adjustments = module.adjustments(
            for: priced.map { LineTotal(service: $0.item.code, group: $0.item.group, total: $0.total, vatRate: $0.item.vatRate) },
            settings: settings
        )
        return Result(lines: priced, adjustments: adjustments, totals: Self.totals(priced.map(\.amounts), adjustments))
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
