import Contracts
@testable import Kernel
import Testing
import TestSupport

/// A sector written for the test: standard pricing and a minimum charge per order, as carpet has.
struct MinimumChargeModule: SectorModule {
    let identity = SectorIdentity(id: "minimumcharge", version: "0.1.0", name: LocalizedText(tr: "Deneme", en: "Test"),
                                  summary: LocalizedText(tr: "Deneme.", en: "Test."))
    let catalog: [CatalogItem] = []
    let settings = [SettingDefinition(key: "minimum_order", name: LocalizedText(tr: "Minimum", en: "Minimum"), kind: .money, defaultValue: 0)]

    func adjustments(for lines: [LineTotal], settings: SectorSettings) -> [OrderAdjustment] {
        let minimum = settings.money("minimum_order")
        let total = lines.reduce(Money.zero) { $0 + $1.total }
        guard !lines.isEmpty, total < minimum else { return [] }
        return [OrderAdjustment(code: "minimum_order", name: LocalizedText(tr: "Minimum", en: "Minimum"), amount: minimum - total, vatRate: .standard)]
    }

    let workflow = Workflow(
        stages: [WorkflowStage(id: "open", name: LocalizedText(tr: "Açık", en: "Open")), WorkflowStage(id: "done", name: LocalizedText(tr: "Bitti", en: "Done"))],
        transitions: ["open": ["done"]], initialStage: "open", readyStage: "done", deliveredStage: "done", reworkStage: "open",
        notifyingStages: [], cancellableStages: ["open"], turnaroundHours: 1
    )
    let tagFormat = TagFormat(prefix: "DN", labelTitle: LocalizedText(tr: "Deneme", en: "Test"))
    let templates: [MessageTemplate] = []
}

@Suite("Pricing holds for random catalogs, lines and terms: no trap, exact to the kuruş")
struct PricingPropertyTests {
    static let cap = Int128(Money.maximum.minorUnits)

    /// `a × n ÷ d` rounded half away from zero, in 128 bits: the reference the kernel must match.
    static func reference(_ a: Int128, _ n: Int128, _ d: Int128) -> Int128 {
        let product = a * n
        let quotient = product / d
        let remainder = product % d
        return 2 * (remainder < 0 ? -remainder : remainder) >= d ? quotient + (product < 0 ? -1 : 1) : quotient
    }

    /// What one line must come to, worked out independently of `Money`: every amount the kernel checks.
    struct ExpectedLine {
        var amounts: [Int128]
        var gross: Int128
        var discount: Int128
        var total: Int128
        var net: Int128
        var vat: Int128
        var fits: Bool { amounts.allSatisfy { $0 <= PricingPropertyTests.cap && $0 >= -PricingPropertyTests.cap } }
    }

    static func expected(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem], terms: PriceTerms) -> ExpectedLine {
        let unit = Int128((terms.priceList[item.code] ?? item.price).minorUnits)
        let quantity = Int128(line.quantity)
        let area = Int128(line.widthCm ?? 0) * Int128(line.lengthCm ?? 0)
        let base = item.unit == .squareMetre ? reference(unit * quantity, area, 10_000) : unit * quantity
        let parts: [Int128] = addOns.map { addOn in
            if let surcharge = addOn.surchargeBasisPoints { return reference(base, Int128(surcharge), 10_000) }
            let price = Int128(addOn.price.minorUnits)
            return addOn.unit == .squareMetre ? reference(price * quantity, area, 10_000) : price * quantity
        }
        let gross = parts.reduce(base, +)
        let discount = reference(gross, Int128(terms.discountBasisPoints), 10_000)
        let total = gross - discount
        let net = reference(total, 10_000, 10_000 + Int128(item.vatRate.basisPoints))
        return ExpectedLine(amounts: [unit, base, gross, discount, total, net, total - net] + parts,
                            gross: gross, discount: discount, total: total, net: net, vat: total - net)
    }

    /// A price spread over every order of magnitude up to the cap, with the extremes 0 and the cap.
    static func price(_ random: inout SeededGenerator) -> Int {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: 0
        case 1: PriceLimits.price.upperBound
        default:
            min(PriceLimits.price.upperBound, Int.random(in: 1...9, using: &random) * Int(pow10(Int.random(in: 0...8, using: &random))))
        }
    }

    static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    static func pick(_ range: ClosedRange<Int>, _ random: inout SeededGenerator) -> Int {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: range.lowerBound
        case 1: range.upperBound
        default: Int.random(in: range, using: &random)
        }
    }

    static func vatRate(_ random: inout SeededGenerator) -> VATRate {
        VATRate(basisPoints: [0, 100, 1000, 2000, PriceLimits.vatBasisPoints.upperBound, Int.random(in: PriceLimits.vatBasisPoints, using: &random)]
            .randomElement(using: &random)!)
    }

    @Test("thousands of random orders: refused with amount_too_large exactly when a line or the order exceeds the cap, otherwise exact and summing up")
    func randomOrders() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = SeededGenerator(seed: seed)
        let module = MinimumChargeModule()
        var outcomes: [String: Int] = [:]
        for run in 0..<3000 {
            let label = "seed \(seed), case \(run)"
            var catalog: [String: TenantCatalogItem] = [:]
            var services: [CatalogItem] = []
            for index in 0..<Int.random(in: 1...6, using: &random) {
                let unit: PricingUnit = Bool.random(using: &random) ? .squareMetre : [.piece, .pair, .item].randomElement(using: &random)!
                let item = CatalogItem(code: "s\(index)", name: LocalizedText(tr: "s", en: "s"), unit: unit, price: Money(minorUnits: Self.price(&random)),
                                       vatRate: Self.vatRate(&random))
                services.append(item)
                catalog[item.code] = TenantCatalogItem(item: item, active: true, custom: true, overridden: false)
            }
            var addOnCodes: [String] = []
            for index in 0..<Int.random(in: 0...4, using: &random) {
                let surcharge = Bool.random(using: &random) ? Self.pick(PriceLimits.surchargeBasisPoints, &random) : nil
                let item = CatalogItem(code: "a\(index)", name: LocalizedText(tr: "a", en: "a"), kind: .addOn,
                                       unit: Bool.random(using: &random) ? .squareMetre : .piece,
                                       price: Money(minorUnits: surcharge == nil ? Self.price(&random) : 0), surchargeBasisPoints: surcharge)
                addOnCodes.append(item.code)
                catalog[item.code] = TenantCatalogItem(item: item, active: true, custom: true, overridden: false)
            }
            var terms = PriceTerms(discountBasisPoints: Self.pick(PriceLimits.discountBasisPoints, &random))
            for service in services where Int.random(in: 0..<4, using: &random) == 0 {
                terms.priceList[service.code] = Money(minorUnits: Self.price(&random))
            }
            let minimum = Int.random(in: 0..<3, using: &random) == 0 ? Self.price(&random) : 0
            let pricing = OrderPricing(module: module, catalog: catalog, terms: terms, settings: SectorSettings(values: ["minimum_order": minimum]))

            let count = Int.random(in: 0..<20, using: &random) == 0 ? Int.random(in: 20...OrderPricing.maximumLines, using: &random) : Int.random(in: 1...6, using: &random)
            var lines: [LineRequest] = []
            var expected: [ExpectedLine] = []
            for _ in 0..<count {
                let item = services.randomElement(using: &random)!
                let addOns = addOnCodes.filter { _ in Bool.random(using: &random) }
                var line = LineRequest(service: item.code, quantity: Self.pick(PriceLimits.quantity, &random), addOns: addOns)
                if item.unit == .squareMetre {
                    line.widthCm = Self.pick(PriceLimits.sizeCm, &random)
                    line.lengthCm = Self.pick(PriceLimits.sizeCm, &random)
                }
                lines.append(line)
                expected.append(Self.expected(line, item: item, addOns: addOns.map { catalog[$0]!.item }, terms: terms))
            }

            let tooLarge = expected.indices.filter { !expected[$0].fits }.map { "items[\($0)]" }
            let lineSum = expected.reduce(Int128(0)) { $0 + $1.total }
            let orderTotal = minimum > 0 && lineSum < Int128(minimum) ? Int128(minimum) : lineSum
            let orderTooLarge = expected.reduce(Int128(0)) { $0 + $1.gross } > Self.cap || orderTotal > Self.cap
            let refusal = tooLarge.isEmpty ? (orderTooLarge ? ["items"] : []) : tooLarge
            outcomes[refusal.isEmpty ? "priced" : refusal == ["items"] ? "order too large" : "line too large", default: 0] += 1
            let result: OrderPricing.Result
            do {
                result = try pricing.price(lines)
            } catch let error as DomainError {
                #expect(error.fields.allSatisfy { $0.code == .amountTooLarge }, "\(label): \(error)")
                #expect(error.fields.map(\.field) == refusal, "\(label): refused \(error.fields.map(\.field)), expected \(refusal)")
                continue
            }
            #expect(refusal.isEmpty, "\(label): accepted though \(refusal) exceed the cap")
            guard refusal.isEmpty else { continue }
            try Self.check(result, expected: expected, minimum: minimum, label: label)
        }
        // The generator reaches every outcome, so that none of the checks above goes untried.
        #expect(outcomes["priced", default: 0] > 300 && outcomes["line too large", default: 0] > 100 && outcomes["order too large", default: 0] > 10,
                "seed \(seed): \(outcomes)")
    }

    static func check(_ result: OrderPricing.Result, expected: [ExpectedLine], minimum: Int, label: String) throws {
        for (line, want) in zip(result.lines, expected) {
            #expect(Int128(line.total.minorUnits) == want.total && Int128(line.net.minorUnits) == want.net && Int128(line.vat.minorUnits) == want.vat,
                    "\(label): \(line.item.code) priced \(line.total) net \(line.net) vat \(line.vat), expected \(want)")
            #expect(line.net + line.vat == line.total, "\(label)")
            #expect(line.price.gross - line.discount == line.total, "\(label)")
            #expect(line.price.addOns.reduce(line.price.base) { $0 + $1.amount } == line.price.gross, "\(label)")
        }
        let totals = result.totals
        let lineTotal = result.lines.reduce(Money.zero) { $0 + $1.total }
        let sum = expected.reduce(Int128(0)) { $0 + $1.total }
        let expectedAdjustment = minimum > 0 && sum < Int128(minimum) ? Int128(minimum) - sum : 0
        #expect(Int128(totals.adjustments.minorUnits) == expectedAdjustment, "\(label)")
        #expect(totals.total == lineTotal + totals.adjustments, "\(label): lines add up to \(lineTotal) + \(totals.adjustments), total \(totals.total)")
        #expect(totals.gross == result.lines.reduce(Money.zero) { $0 + $1.price.gross }, "\(label)")
        #expect(totals.discount == result.lines.reduce(Money.zero) { $0 + $1.discount }, "\(label)")
        #expect(totals.net + totals.vat == totals.total, "\(label)")
        #expect(totals.net == totals.vatBreakdown.reduce(Money.zero) { $0 + $1.net } && totals.vat == totals.vatBreakdown.reduce(Money.zero) { $0 + $1.vat }, "\(label)")
        var byRate: [Int: Money] = [:]
        for line in result.lines { byRate[line.item.vatRate.basisPoints, default: .zero] += line.total }
        for adjustment in result.adjustments { byRate[adjustment.vatRate.basisPoints, default: .zero] += adjustment.amount }
        #expect(Set(byRate.keys) == Set(totals.vatBreakdown.map(\.rate.basisPoints)), "\(label)")
        for entry in totals.vatBreakdown {
            #expect(entry.net + entry.vat == byRate[entry.rate.basisPoints], "\(label): rate \(entry.rate.basisPoints)")
        }
        for amount in [totals.gross, totals.total, totals.net, totals.vat] {
            #expect(amount.isWithinMaximum, "\(label)")
        }
    }

    @Test("Money never traps: overflow saturates, is marked, and the mark sticks; scaled is exact at double width")
    func moneyArithmetic() {
        let big = Money(minorUnits: Int.max)
        #expect((big + Money(minorUnits: 1)).overflowed && (big + Money(minorUnits: 1)).minorUnits == Int.max)
        #expect((Money(minorUnits: Int.min) - Money(minorUnits: 1)).minorUnits == Int.min)
        #expect((Money(minorUnits: Int.min) * -1).overflowed)
        #expect(((big + Money(minorUnits: 1)) - big).overflowed, "the mark sticks")
        #expect(!(big - Money(minorUnits: 1)).overflowed)
        #expect(Money(minorUnits: 5).scaled(by: 1, over: 0).overflowed)
        #expect(!Money(minorUnits: Int.min).isWithinMaximum && Money(minorUnits: Int.min).description.hasPrefix("-"))
        #expect(Money(lira: Int.max).overflowed)
        #expect(VATRate(basisPoints: -10_000).split(gross: Money(minorUnits: 100)).net.overflowed)
        #expect(VATRate(basisPoints: Int.max).split(gross: Money(minorUnits: 100)).net.overflowed)
        // 2.5 × 10¹⁴ kuruş at +500 %: the product exceeds Int, the result does not.
        #expect(Money(minorUnits: 249_750_000_000_000).percentage(basisPoints: 50_000) == Money(minorUnits: 1_248_750_000_000_000))
        #expect(Money(minorUnits: -45).scaled(by: 1000, over: 10_000) == Money(minorUnits: -5))
        #expect(Money(minorUnits: 45).scaled(by: -1000, over: -10_000) == Money(minorUnits: 5))

        let seed = UInt64.random(in: 0...UInt64.max)
        var random = SeededGenerator(seed: seed)
        for run in 0..<5000 {
            let value = Int(truncatingIfNeeded: random.next() >> UInt64.random(in: 0...63, using: &random)) * (Bool.random(using: &random) ? 1 : -1)
            let numerator = Int(truncatingIfNeeded: random.next() >> UInt64.random(in: 0...63, using: &random)) * (Bool.random(using: &random) ? 1 : -1)
            let denominator = Int.random(in: 1...Int.max >> Int.random(in: 0...62, using: &random), using: &random)
            let result = Money(minorUnits: value).scaled(by: numerator, over: denominator)
            let exact = Self.reference(Int128(value), Int128(numerator), Int128(denominator))
            if exact >= Int128(-Int.max) && exact <= Int128(Int.max) {
                #expect(!result.overflowed && Int128(result.minorUnits) == exact, "seed \(seed), case \(run): \(value) × \(numerator) ÷ \(denominator)")
            } else {
                #expect(result.overflowed && result.minorUnits == (exact < 0 ? Int.min : Int.max), "seed \(seed), case \(run)")
            }
            let (sum, overflow) = value.addingReportingOverflow(numerator)
            let added = Money(minorUnits: value) + Money(minorUnits: numerator)
            #expect(added.overflowed == overflow && (overflow || added.minorUnits == sum), "seed \(seed), case \(run)")
        }
    }
}
