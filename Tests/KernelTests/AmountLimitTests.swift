import Contracts
import Foundation
import Kernel
import Storage
import Testing
import TestSupport

/// Carpets of one loom width: the module refuses anything wider than 400 cm, a rule
/// `StandardPricing.validate` (1–5000 cm) knows nothing of.
struct NarrowLoomModule: SectorModule {
    let identity = SectorIdentity(id: "narrowloom", version: "0.1.0", name: LocalizedText(tr: "Dar Tezgâh", en: "Narrow Loom"),
                                  summary: LocalizedText(tr: "En fazla 4 m genişlik.", en: "At most 4 m wide."))
    let catalog = [CatalogItem(code: "rug", name: LocalizedText(tr: "Halı", en: "Rug"), unit: .squareMetre, price: Money(lira: 100), group: "carpet")]

    func normalize(_ line: LineRequest, item: CatalogItem) throws -> LineRequest {
        let line = try StandardPricing.validate(line, item: item, attributes: lineAttributes)
        if let width = line.widthCm, width > 400 {
            throw DomainError.invalid("widthCm", .invalidValue, "Our machine washes carpets up to 400 cm wide.")
        }
        return line
    }

    let workflow = Workflow(
        stages: [WorkflowStage(id: "taken", name: LocalizedText(tr: "Alındı", en: "Taken")), WorkflowStage(id: "delivered", name: LocalizedText(tr: "Teslim", en: "Delivered"))],
        transitions: ["taken": ["delivered"]], initialStage: "taken", readyStage: "delivered", deliveredStage: "delivered", reworkStage: "taken",
        notifyingStages: [], cancellableStages: ["taken"], turnaroundHours: 24
    )
    let tagFormat = TagFormat(prefix: "DT", labelTitle: LocalizedText(tr: "Dar Tezgâh", en: "Narrow Loom"))
    let templates: [MessageTemplate] = []
}

@Suite("Amounts beyond the cap are refused, never trapped on; corrections take the module's own checks")
struct AmountLimitTests {
    static func refusal(_ code: ErrorCode, fields: [String]? = nil, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("accepted; expected \(code)")
        } catch let error as DomainError {
            #expect(error.code == code, "\(error)")
            if let fields { #expect(error.fields.map(\.field) == fields, "\(error.fields)") }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a line or an order beyond 10 000 000 000,00 TL, at intake, in a quote and after a size correction", arguments: TestDatabases.engines)
    func orderCap(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
        let owner = fixture.ownerPrincipal
        _ = try await kernel.sector.changeCatalog("curtain", CatalogChange(price: Money.maximumPrice), by: owner)
        _ = try await kernel.sector.changeCatalog("express", CatalogChange(surchargeBasisPoints: 50_000), by: owner)
        let customer = try await fixture.customer(kernel)
        // 999 curtains of 1 m² at 1 000 000 TL, +500 %: 5 994 000 000 TL, under the cap alone…
        let square = LineRequest(service: "curtain", quantity: 999, widthCm: 100, lengthCm: 100, addOns: ["express"])
        let quote = try await kernel.orders.quote(OrderDraft(customerId: customer.id, items: [square]), by: owner)
        #expect(quote.totals.total == Money(minorUnits: 599_400_000_000))
        // …but two of them are more than one order may come to.
        await Self.refusal(.amountTooLarge, fields: ["items"]) {
            _ = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [square, square]), by: owner)
        }
        // 50 m × 50 m: the line alone is beyond the cap.
        var huge = square
        huge.widthCm = 5000
        huge.lengthCm = 5000
        await Self.refusal(.amountTooLarge, fields: ["items[1]"]) {
            _ = try await kernel.orders.quote(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt"), huge]), by: owner)
        }

        let order = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [square]), by: owner)
        await Self.refusal(.amountTooLarge) {
            _ = try await kernel.orders.correctMeasurements(orderID: order.id, itemID: order.items[0].id, widthCm: 200, lengthCm: 100,
                                                           reason: nil, by: owner)
        }
        #expect(try await kernel.orders.get(order.id, by: owner) == order, "a refused correction leaves the order as it was")
        let corrected = try await kernel.orders.correctMeasurements(orderID: order.id, itemID: order.items[0].id, widthCm: 100, lengthCm: 150,
                                                                    reason: "ölçüldü", by: owner)
        #expect(corrected.totals.total == Money(minorUnits: 899_100_000_000))
        // Each line within the cap, but together beyond it once the second is measured again.
        var narrow = square
        narrow.lengthCm = 60
        let pair = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [square, narrow]), by: owner)
        #expect(pair.totals.total == Money(minorUnits: 599_400_000_000 + 359_640_000_000))
        await Self.refusal(.amountTooLarge, fields: ["items"]) {
            _ = try await kernel.orders.correctMeasurements(orderID: pair.id, itemID: pair.items[1].id, widthCm: 100, lengthCm: 80,
                                                           reason: nil, by: owner)
        }
        #expect(try await kernel.orders.get(pair.id, by: owner) == pair)
        await Self.refusal(.invalidValue, fields: ["reason"]) {
            _ = try await kernel.orders.correctMeasurements(orderID: order.id, itemID: order.items[0].id, widthCm: 100, lengthCm: 100,
                                                           reason: "a\u{0}b", by: owner)
        }

        // A corporate list price at the cap prices the same way.
        _ = try await kernel.customerTypes.setPricing("corporate", PriceTerms(priceList: ["curtain": Money.maximumPrice]), by: owner)
        _ = try await kernel.sector.changeCatalog("curtain", CatalogChange(price: Money(lira: 90)), by: owner)
        let company = try await fixture.customer(kernel, name: "Işık Tekstil A.Ş.", type: "corporate")
        await Self.refusal(.amountTooLarge, fields: ["items[0]"]) {
            _ = try await kernel.orders.quote(OrderDraft(customerId: company.id, items: [huge]), by: owner)
        }
    }

    @Test("prices, surcharges, VAT rates, discounts and list prices beyond their bounds are refused", arguments: TestDatabases.engines)
    func priceBounds(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "carwash")
        let owner = fixture.ownerPrincipal
        let refused: [(CatalogChange, String)] = [
            (CatalogChange(price: Money(minorUnits: 100_000_001)), "price"),
            (CatalogChange(price: Money(minorUnits: -1)), "price"),
            (CatalogChange(surchargeBasisPoints: 50_001), "surchargeBasisPoints"),
            (CatalogChange(variantPrices: ["suv": Money(minorUnits: Int.max)]), "variantPrices.suv"),
            (CatalogChange(vatRate: VATRate(basisPoints: 5001)), "vatRate"),
            (CatalogChange(name: LocalizedText(tr: String(repeating: "\u{0301}", count: 10_000), en: "x")), "name.tr"),
            (CatalogChange(group: "a\u{0}"), "group"),
        ]
        for (change, field) in refused {
            await Self.refusal(.invalidValue, fields: [field]) { _ = try await kernel.sector.changeCatalog("full", change, by: owner) }
        }
        _ = try await kernel.sector.changeCatalog("full", CatalogChange(price: Money.maximumPrice, variantPrices: ["suv": Money.maximumPrice]), by: owner)
        for (terms, field) in [(PriceTerms(discountBasisPoints: 10_001), "discountBasisPoints"),
                               (PriceTerms(priceList: ["full": Money(minorUnits: 100_000_001)]), "priceList.full"),
                               (PriceTerms(priceList: [String(repeating: "x", count: 41): 100]), "priceList")] {
            await Self.refusal(.invalidValue, fields: [field]) { _ = try await kernel.customerTypes.setPricing("vip", terms, by: owner) }
        }
    }

    @Test("a size correction goes through the module's own checks, as intake does", arguments: TestDatabases.engines)
    func correctionUsesModuleNormalize(engine: Engine) async throws {
        let registry = try ModuleRegistry(TestKernels.modules + [NarrowLoomModule()])
        let kernel = try await TestKernels.make(engine, registry: registry)
        let fixture = try await TenantFixture.make(kernel, sector: "narrowloom")
        let customer = try await fixture.customer(kernel)
        let owner = fixture.ownerPrincipal
        await Self.refusal(.invalidValue, fields: ["items[0].widthCm"]) {
            _ = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "rug", widthCm: 450, lengthCm: 200)]), by: owner)
        }
        let order = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "rug", widthCm: 300, lengthCm: 200)]), by: owner)
        #expect(order.totals.total == Money(lira: 600))
        // 450 cm is within StandardPricing's 1–5000 cm, but not this module's 400.
        await Self.refusal(.invalidValue, fields: ["widthCm"]) {
            _ = try await kernel.orders.correctMeasurements(orderID: order.id, itemID: order.items[0].id, widthCm: 450, lengthCm: 200, reason: nil, by: owner)
        }
        #expect(try await kernel.orders.get(order.id, by: owner).totals.total == Money(lira: 600))
        let corrected = try await kernel.orders.correctMeasurements(orderID: order.id, itemID: order.items[0].id, widthCm: 400, lengthCm: 200, reason: nil, by: owner)
        #expect(corrected.totals.total == Money(lira: 800))
    }
}
