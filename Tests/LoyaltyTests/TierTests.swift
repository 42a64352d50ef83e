import Contracts
import Foundation
import Kernel
import Loyalty
import Queue
import Storage
import Testing
import TestSupport

@Suite("Tiers")
struct TierTests {
    static let ladder = TierLadderInput(items: [
        .init(code: "gold", name: "Altın", minimumSpend: Money(lira: 5_000), pointsMultiplier: 200),
        .init(code: "bronze", name: "Bronz", minimumSpend: Money(lira: 0)),
        .init(code: "silver", name: "Gümüş", minimumSpend: Money(lira: 1_000), pointsMultiplier: 150),
    ])

    @Test("a customer's tier follows their spend over the rolling year: earned on a purchase, multiplying the points of the next, shown at the till, lost by the daily run when the spend leaves the year",
          arguments: TestDatabases.engines)
    func tierFollowsSpend(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let messaging = try await MessagingFixture.make(engine, clock: clock)
        defer { Task { await messaging.stop() } }
        let (loyalty, owner, fixture) = (messaging.loyalty, messaging.owner, messaging.points)
        _ = try await messaging.kernel.settingsService.change("loyalty_points_per_lira", to: .integer(1), by: owner)
        #expect(try await loyalty.tiers.setLadder(Self.ladder, by: owner).map(\.code) == ["bronze", "silver", "gold"], "kept lowest first")
        let customer = try await messaging.customer("Ayşe Yılmaz", phone: "0532 111 22 33", consenting: false)
        func earned(_ order: Order) async throws -> Int? {
            try await fixture.points(customer).entries.first { $0.orderId == order.id }?.points
        }

        let first = try await fixture.sale(customer, [LineRequest(service: "coat")])                              // 400 TL
        #expect(try await earned(first) == 400)
        var standing = try await loyalty.tiers.standing(customerID: customer.id, by: owner)
        #expect(standing.tier?.code == "bronze" && standing.yearSpend == Money(lira: 400) && standing.nextTier?.code == "silver"
                && standing.toNextTier == Money(lira: 600), "\(standing)")
        let big = try await fixture.sale(customer, Array(repeating: LineRequest(service: "coat"), count: 3))        // 1,200 TL
        #expect(try await earned(big) == 1_200, "the tier held before the purchase counts (bronze)")
        #expect(try await loyalty.tiers.standing(customerID: customer.id, by: owner).tier?.code == "silver")
        let next = try await fixture.sale(customer, [LineRequest(service: "coat")])
        #expect(try await earned(next) == 600, "silver earns 150 %")

        let till = try await PosTests.till(fixture)
        let session = try await loyalty.devices.authenticate(key: till.key, origin: RequestOrigin())
        let sale = try await loyalty.pos.sell(PosSaleInput(customerId: customer.id, amount: Money(lira: 100)), idempotencyKey: "t-1", session: session)
        #expect(sale.sale.pointsEarned == 150, "a till sale earns by the tier too")
        let found = try await loyalty.pos.lookup(PosIdentification(phone: "05321112233"), key: till.key, session: session)
        #expect(found.items.first?.tier?.code == "silver" && found.items.first?.tier?.name == "Gümüş", "\(found)")

        clock.advance(days: 366)
        _ = try await messaging.kernel.queue.enqueue(LoyaltyDailySweep(), options: JobOptions(queue: "reminders"))
        _ = try await messaging.drain()
        standing = try await loyalty.tiers.standing(customerID: customer.id, by: owner)
        #expect(standing.tier?.code == "bronze" && standing.yearSpend == .zero, "a year on, the daily run took the old spend out: \(standing)")

        _ = try await loyalty.tiers.setLadder(TierLadderInput(items: []), by: owner)
        let noLadder = try await loyalty.pos.lookup(PosIdentification(phone: "05321112233"), key: till.key, session: session)
        #expect(noLadder.items.first?.tier == nil, "without a ladder no tier is held")
    }

    @Test("the ladder is the owner's; codes and minimums are its own per tier, multipliers from 100 to 1000 %", arguments: [Engine.sqlite])
    func refusals(engine: Engine) async throws {
        let fixture = try await LoyaltyFixture.make(engine, clock: SteppingClock(PointsTests.start))
        let tiers = fixture.loyalty.tiers
        func refused(_ items: [TierLadderInput.Rung]?, by principal: Principal? = nil) async -> DomainError? {
            do {
                _ = try await tiers.setLadder(TierLadderInput(items: items), by: principal ?? fixture.owner)
                return nil
            } catch { return error as? DomainError }
        }
        let bronze = TierLadderInput.Rung(code: "bronze", name: "Bronz", minimumSpend: .zero)
        #expect(await refused(nil)?.code == .missingField)
        #expect(await refused([bronze, bronze])?.fields.map(\.field) == ["items", "items"])
        #expect(await refused([.init(code: "Gold!", name: " ", minimumSpend: nil, pointsMultiplier: 50)])?.fields.map(\.field)
                == ["items[0].code", "items[0].name", "items[0].minimumSpend", "items[0].pointsMultiplier"])
        #expect(await refused((0..<11).map { .init(code: "t\($0)", name: "T", minimumSpend: Money(lira: $0)) })?.code == .invalidValue)
        let (desk, _) = try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk)
        #expect(await refused([bronze], by: fixture.tenant.principal(desk))?.code == .forbidden)
        #expect(try await tiers.ladder(by: fixture.owner).isEmpty, "nothing was saved")
    }
}
