import Contracts
import Foundation
import Kernel
import Storage
import Testing
import TestSupport

@Suite("Sector pricing, exact to the kuruş")
struct SectorPricingTests {
    static func order(_ kernel: Kernel, _ fixture: TenantFixture, _ customer: Customer, _ lines: [LineRequest]) async throws -> Order {
        try await kernel.orders.create(OrderDraft(customerId: customer.id, items: lines), by: fixture.ownerPrincipal)
    }

    @Test("carpet: 200×300 and 160×230 cm machine-woven at 120 TL/m², the minimum charge, a corrected size", arguments: TestDatabases.engines)
    func carpet(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "carpet")
        let customer = try await fixture.customer(kernel)
        let order = try await Self.order(kernel, fixture, customer, [
            LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300),
            LineRequest(service: "machine_woven", widthCm: 160, lengthCm: 230),
        ])
        #expect(order.items.map(\.total) == [Money(minorUnits: 72_000), Money(minorUnits: 44_160)])   // 6 m², 3,68 m²
        #expect(order.adjustments.isEmpty)
        #expect(order.totals.total == Money(minorUnits: 116_160))                                     // 1.161,60 TL
        #expect(order.totals.net == Money(minorUnits: 96_800))
        #expect(order.totals.vat == Money(minorUnits: 19_360))
        #expect(order.stage == "picked_up")

        // One small rug comes to 144 TL; the 500 TL minimum order adds the difference.
        let small = try await Self.order(kernel, fixture, customer, [LineRequest(service: "machine_woven", widthCm: 80, lengthCm: 150)])
        #expect(small.items.first?.total == Money(minorUnits: 14_400))
        #expect(small.adjustments.map(\.amount) == [Money(minorUnits: 35_600)])
        #expect(small.totals.total == Money(minorUnits: 50_000))

        // Measured again after washing: 210 × 300 cm; the price per m² agreed stays, the line and total follow.
        let corrected = try await kernel.orders.correctMeasurements(
            orderID: order.id, itemID: order.items[0].id, widthCm: 210, lengthCm: 300, reason: "ölçüm yıkama sonrası", by: fixture.ownerPrincipal
        )
        #expect(corrected.items[0].total == Money(minorUnits: 75_600))
        #expect(corrected.totals.total == Money(minorUnits: 119_760))
        let trace = try await kernel.tracking.trace(order.items[0].tag, by: fixture.ownerPrincipal)
        #expect(trace.history.last?.kind == .measurement)

        // The tenant's own rate and minimum are used once set.
        _ = try await kernel.sector.changeCatalog("machine_woven", CatalogChange(price: Money(lira: 100)), by: fixture.ownerPrincipal)
        _ = try await kernel.settingsService.change("minimum_order", to: .integer(20_000), by: fixture.ownerPrincipal)
        let repriced = try await Self.order(kernel, fixture, customer, [LineRequest(service: "machine_woven", widthCm: 80, lengthCm: 150)])
        #expect(repriced.items.first?.total == Money(minorUnits: 12_000))
        #expect(repriced.totals.total == Money(minorUnits: 20_000))
    }

    @Test("dry cleaning: per piece, stain treatment and express, VIP −15 %, VAT split per line", arguments: TestDatabases.engines)
    func dryCleaning(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
        _ = try await kernel.customerTypes.setPricing("vip", PriceTerms(discountBasisPoints: 1500), by: fixture.ownerPrincipal)
        let vip = try await fixture.customer(kernel, type: "vip")
        let order = try await Self.order(kernel, fixture, vip, [
            LineRequest(service: "shirt", quantity: 3),
            LineRequest(service: "suit_2", addOns: ["stain_treatment", "express"]),
        ])
        // Shirts 3 × 120 = 360 TL; suit 380 + stain 75 + express 50 % of 380 = 645 TL.
        #expect(order.items.map(\.gross) == [Money(minorUnits: 36_000), Money(minorUnits: 64_500)])
        #expect(order.items[1].addOns == [PricePart(code: "stain_treatment", amount: 7_500), PricePart(code: "express", amount: 19_000)])
        // VIP −15 %: 306,00 and 548,25.
        #expect(order.items.map(\.total) == [Money(minorUnits: 30_600), Money(minorUnits: 54_825)])
        #expect(order.items.map(\.net) == [Money(minorUnits: 25_500), Money(minorUnits: 45_688)])
        #expect(order.totals.discount == Money(minorUnits: 15_075))
        #expect(order.totals.total == Money(minorUnits: 85_425))
        #expect(order.totals.vat == Money(minorUnits: 14_237))
        #expect(order.customerType == "vip" && order.discountBasisPoints == 1500)

        // A corporate price list replaces the catalog price.
        _ = try await kernel.customerTypes.setPricing("corporate", PriceTerms(priceList: ["shirt": Money(lira: 100)]), by: fixture.ownerPrincipal)
        let company = try await fixture.customer(kernel, name: "Işık Tekstil A.Ş.", type: "corporate")
        let listed = try await Self.order(kernel, fixture, company, [LineRequest(service: "shirt", quantity: 10)])
        #expect(listed.totals.total == Money(lira: 1000))
    }

    @Test("shoe shine per pair and packages; tailoring by labour with express", arguments: TestDatabases.engines)
    func shoesAndTailoring(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let shoes = try await TenantFixture.make(kernel, sector: "shoeshine")
        let shoeOrder = try await Self.order(kernel, shoes, try await shoes.customer(kernel), [
            LineRequest(service: "full_care"),
            LineRequest(service: "heel", quantity: 2, attributes: ["colour": "kahverengi"], addOns: ["laces"]),
        ])
        #expect(shoeOrder.items.map(\.total) == [Money(lira: 450), Money(lira: 800)])
        #expect(shoeOrder.totals.total == Money(lira: 1250))

        let tailor = try await TenantFixture.make(kernel, sector: "tailoring")
        let tailorOrder = try await Self.order(kernel, tailor, try await tailor.customer(kernel), [
            LineRequest(service: "hem", quantity: 2, attributes: ["garment": "lacivert pantolon", "measurements": "boy 102"]),
            LineRequest(service: "suit_alteration", addOns: ["express"]),
        ])
        #expect(tailorOrder.items.map(\.total) == [Money(lira: 500), Money(lira: 1275)])
        #expect(tailorOrder.totals.total == Money(lira: 1775))
    }

    @Test("car wash: package by vehicle class, add-ons, plates checked and written the standard way", arguments: TestDatabases.engines)
    func carWash(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "carwash")
        let customer = try await fixture.customer(kernel)
        let order = try await Self.order(kernel, fixture, customer, [
            LineRequest(service: "full", attributes: ["plate": "34abc123", "vehicleClass": "suv"], addOns: ["wax"]),
            LineRequest(service: "exterior", attributes: ["plate": "06 A 1234", "vehicleClass": "car"]),
        ])
        #expect(order.items.map(\.total) == [Money(lira: 1150), Money(lira: 250)])
        #expect(order.items[0].attributes["plate"] == "34 ABC 123")
        #expect(order.items[0].unitPrice == Money(lira: 550))
        let refused: [(LineRequest, String)] = [
            (LineRequest(service: "full", attributes: ["plate": "34 QX 123", "vehicleClass": "car"]), "items[0].attributes.plate"),
            (LineRequest(service: "full", attributes: ["plate": "99 ABC 123", "vehicleClass": "car"]), "items[0].attributes.plate"),
            (LineRequest(service: "full", attributes: ["plate": "34 ABC 123"]), "items[0].attributes.vehicleClass"),
            (LineRequest(service: "full", attributes: ["plate": "34 ABC 123", "vehicleClass": "tank"]), "items[0].attributes.vehicleClass"),
            (LineRequest(service: "wax", attributes: ["plate": "34 ABC 123", "vehicleClass": "car"]), "items[0].service"),
            (LineRequest(service: "full", attributes: ["plate": "34 ABC 123", "vehicleClass": "car", "colour": "red"]), "items[0].attributes.colour"),
        ]
        for (line, field) in refused {
            do {
                _ = try await Self.order(kernel, fixture, customer, [line])
                Issue.record("accepted \(line)")
            } catch let error as DomainError {
                #expect(error.fields.map(\.field).contains(field), "\(error.fields)")
            }
        }
    }

    @Test("retail: products with their own VAT rates, handed over at once", arguments: TestDatabases.engines)
    func retail(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "retail")
        let sale = try await Self.order(kernel, fixture, try await fixture.customer(kernel), [
            LineRequest(service: "simit", quantity: 3), LineRequest(service: "tea", quantity: 2), LineRequest(service: "mug"),
        ])
        #expect(sale.totals.total == Money(minorUnits: 46_000))
        #expect(sale.totals.vatBreakdown == [
            VATLine(rate: 2000, net: 29_167, vat: 5_833),
            VATLine(rate: 1000, net: 4_545, vat: 455),
            VATLine(rate: 100, net: 5_941, vat: 59),
        ])
        #expect(sale.stage == "sold")
    }

    @Test("tenants add services of their own and switch shipped ones off", arguments: TestDatabases.engines)
    func tenantCatalog(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
        let added = try await kernel.sector.changeCatalog(
            "leather_jacket", CatalogChange(name: LocalizedText(tr: "Deri ceket", en: "Leather jacket"), unit: .piece, price: Money(lira: 900)),
            by: fixture.ownerPrincipal
        )
        #expect(added.custom && added.item.price == Money(lira: 900))
        _ = try await kernel.sector.changeCatalog("tie", CatalogChange(active: false), by: fixture.ownerPrincipal)
        let customer = try await fixture.customer(kernel)
        let order = try await Self.order(kernel, fixture, customer, [LineRequest(service: "leather_jacket")])
        #expect(order.totals.total == Money(lira: 900))
        await #expect { try await Self.order(kernel, fixture, customer, [LineRequest(service: "tie")]) } throws: {
            ($0 as? DomainError)?.code == .unknownService
        }
        await #expect { try await kernel.sector.changeCatalog("shirt", CatalogChange(price: Money(lira: 200)), by: fixture.principal(try await fixture.addStaff(kernel, role: .frontDesk).user)) } throws: {
            ($0 as? DomainError)?.code == .forbidden
        }
    }

    @Test("money rounds half away from zero; VAT splits add up")
    func rounding() {
        #expect(Money(minorUnits: 45).percentage(basisPoints: 1000) == Money(minorUnits: 5))    // 4,5 → 5
        #expect(Money(minorUnits: -45).percentage(basisPoints: 1000) == Money(minorUnits: -5))
        #expect(Money(minorUnits: 44).percentage(basisPoints: 1000) == Money(minorUnits: 4))
        for gross in [1, 99, 10_001, 54_825, 123_457] {
            let (net, vat) = VATRate.standard.split(gross: Money(minorUnits: gross))
            #expect(net + vat == Money(minorUnits: gross))
        }
        #expect(Money(minorUnits: 116_160).turkish == "1.161,60 TL")
    }
}
