import Contracts
import Foundation
import Kernel
import Loyalty
import Storage
import Testing
import TestSupport

@Suite("Stamp cards")
struct StampTests {
    @Test("items of the card's services earn stamps; at the number needed they become a coupon for the customer; a till sale earns on a card without services; a retired card earns nothing",
          arguments: TestDatabases.engines)
    func earnAndExchange(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock, rate: 0)
        let stamps = fixture.loyalty.stamps
        let coats = try await stamps.add(StampCardInput(name: "5 palto, 6.sı bedava", stampsNeeded: 5, services: ["coat"],
                                                        rewardAmount: Money(lira: 400), rewardValidDays: 30), by: fixture.owner)
        clock.advance(days: 1.0 / 86_400)   // cards are listed in the order they were added
        let visits = try await stamps.add(StampCardInput(name: "Her ziyarete damga", stampsNeeded: 3, rewardAmount: Money(lira: 50)), by: fixture.owner)
        let customer = try await PosTests.customer(fixture, "Ayşe Yılmaz", phone: "0532 111 22 33")
        func held() async throws -> [Int] { try await stamps.stamps(customerID: customer.id, by: fixture.owner).map(\.stamps) }

        for _ in 0..<4 { try await fixture.sale(customer, [LineRequest(service: "coat")]) }
        #expect(try await held() == [4, 1], "four coats; four visits, three of them exchanged")
        try await fixture.sale(customer, [LineRequest(service: "coat"), LineRequest(service: "shirt")])
        #expect(try await held() == [0, 2], "the fifth coat is exchanged; a shirt earns no coat stamp")

        let till = try await PosTests.till(fixture)
        let session = try await fixture.loyalty.devices.authenticate(key: till.key, origin: RequestOrigin())
        _ = try await fixture.loyalty.pos.sell(PosSaleInput(customerId: customer.id, amount: Money(lira: 30)), idempotencyKey: "s-1", session: session)
        let found = try await fixture.loyalty.pos.lookup(PosIdentification(code: customer.code), key: till.key, session: session)
        let card = try #require(found.items.first)
        #expect(card.stamps.map { [$0.name, String($0.stamps), String($0.stampsNeeded)] } == [[coats.name, "0", "5"], [visits.name, "0", "3"]],
                "the till sale filled the visits card: \(card.stamps)")
        #expect(card.coupons.map(\.value).sorted() == [5_000, 5_000, 40_000], "each exchange left a coupon for the customer: \(card.coupons)")
        #expect(card.coupons.allSatisfy { $0.kind == .amount })

        #expect(try await stamps.retire(visits.id, by: fixture.owner).active == false)
        #expect(try await stamps.retire(visits.id, by: fixture.owner).active == false, "retiring again changes nothing")
        _ = try await fixture.loyalty.pos.sell(PosSaleInput(customerId: customer.id, amount: Money(lira: 30)), idempotencyKey: "s-2", session: session)
        #expect(try await stamps.stamps(customerID: customer.id, by: fixture.owner).map(\.cardId) == [coats.id], "a retired card is not shown")
        #expect(try await stamps.list(by: fixture.owner).map(\.active) == [true, false])
    }

    @Test("two orders handed over at the same moment never cash the same stamps in twice", arguments: TestDatabases.engines)
    func racingDeliveries(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock, rate: 0)
        _ = try await fixture.loyalty.stamps.add(StampCardInput(name: "3 palto", stampsNeeded: 3, services: ["coat"], rewardAmount: Money(lira: 100)),
                                                 by: fixture.owner)
        let customer = try await PosTests.customer(fixture, "Can Öz", phone: "0532 111 22 34")
        for _ in 0..<2 { try await fixture.sale(customer, [LineRequest(service: "coat")]) }
        var racing: [Order] = []
        for _ in 0..<4 {
            let order = try await fixture.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "coat")]), by: fixture.owner)
            for stage in ["cleaning", "ready"] { _ = try await fixture.kernel.tracking.scan(order.items[0].tag, to: stage, note: nil, by: fixture.owner) }
            racing.append(order)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for order in racing {
                group.addTask { _ = try await fixture.kernel.tracking.scan(order.items[0].tag, to: "delivered", note: nil, by: fixture.owner) }
            }
            try await group.waitForAll()
        }
        // 2 + 4 = 6 stamps: exactly two exchanges, none left.
        #expect(try await fixture.loyalty.stamps.stamps(customerID: customer.id, by: fixture.owner).map(\.stamps) == [0])
        let coupons = try await fixture.kernel.database.read(.tenant(fixture.tenant.tenant.id)) { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM loyalty_coupons WHERE customer_id = \(bind: customer.id)").first()?.decode(column: "n", as: Int.self)
        }
        #expect(coupons == 2)
    }

    @Test("stamp cards are the owner's; the number needed, reward and services are checked", arguments: [Engine.sqlite])
    func refusals(engine: Engine) async throws {
        let fixture = try await LoyaltyFixture.make(engine, clock: SteppingClock(PointsTests.start))
        let stamps = fixture.loyalty.stamps
        func refused(_ input: StampCardInput, by principal: Principal? = nil) async -> DomainError? {
            do {
                _ = try await stamps.add(input, by: principal ?? fixture.owner)
                return nil
            } catch { return error as? DomainError }
        }
        #expect(await refused(StampCardInput(name: nil, stampsNeeded: nil, rewardAmount: nil))?.fields.map(\.field) == ["name", "stampsNeeded", "rewardAmount"])
        #expect(await refused(StampCardInput(name: "x", stampsNeeded: 1, rewardAmount: Money(lira: 1)))?.fields.map(\.field) == ["stampsNeeded"])
        #expect(await refused(StampCardInput(name: "x", stampsNeeded: 5, rewardAmount: Money(minorUnits: 0)))?.fields.map(\.field) == ["rewardAmount"])
        #expect(await refused(StampCardInput(name: "x", stampsNeeded: 5, services: ["jetpack"], rewardAmount: Money(lira: 1)))?.code == .unknownService)
        let (desk, _) = try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk)
        #expect(await refused(StampCardInput(name: "x", stampsNeeded: 5, rewardAmount: Money(lira: 1)), by: fixture.tenant.principal(desk))?.code == .forbidden)
    }
}
