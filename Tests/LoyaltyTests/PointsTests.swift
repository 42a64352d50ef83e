import Accounts
import Contracts
import Foundation
import Kernel
import Logging
@testable import Loyalty
import Queue
import SQLKit
import Storage
import Testing
import TestSupport

/// A kernel on a database of its own with the points subscriber, one tenant earning 1 point per lira.
struct LoyaltyFixture {
    let kernel: Kernel
    let loyalty: LoyaltyModule
    let tenant: TenantFixture

    var owner: Principal { tenant.ownerPrincipal }

    static func make(_ engine: Engine, clock: SteppingClock, rate: Int = 1,
                     subscribers: [any OrderEventSubscriber] = [LoyaltyModule.subscriber]) async throws -> LoyaltyFixture {
        let catalog = try SettingsCatalog([LoyaltyModule.settings, AccountsModule.settings], registry: TestKernels.registry)
        let settings = TestKernels.settings(clock: KernelClock { clock.now })
        let database = try await TestDatabases.empty(engine)
        try await Migrator(database: database, logger: Logger(label: "test.migrate"))
            .migrate(QueueMigrations.all + TestKernels.registry.migrations + TestKernels.featureMigrations)
        let kernel = Kernel(database: database, registry: TestKernels.registry, settings: settings, subscribers: subscribers,
                            settingsCatalog: catalog, featureMigrations: TestKernels.featureMigrations)
        let tenant = try await TenantFixture.make(kernel)
        _ = try await kernel.settingsService.change("loyalty_points_per_lira", to: .integer(rate), by: tenant.ownerPrincipal)
        return LoyaltyFixture(kernel: kernel, loyalty: LoyaltyModule(kernel: kernel), tenant: tenant)
    }

    /// An order of `lines` taken in and handed over.
    @discardableResult
    func sale(_ customer: Customer, _ lines: [LineRequest]) async throws -> Order {
        let order = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: lines), by: owner)
        for stage in ["cleaning", "ready", "delivered"] {
            for item in order.items { _ = try await kernel.tracking.scan(item.tag, to: stage, note: nil, by: owner) }
        }
        return order
    }

    func points(_ customer: Customer) async throws -> PointsAccount {
        try await loyalty.points.account(customerID: customer.id, by: owner)
    }

    func expire() async throws -> Int {
        let tenantID = tenant.tenant.id
        return try await kernel.database.transaction(.tenant(tenantID)) { sql in
            try await PointsService.expireLapsed(tenantID: tenantID, now: kernel.settings.clock.now(), sql: sql)
        }
    }

    /// Every entry's points summed, and every lot's remaining points summed (lapsed ones too).
    func sums(_ customer: Customer) async throws -> (entries: Int, lots: Int) {
        let tenantID = tenant.tenant.id
        return try await kernel.database.read(.tenant(tenantID)) { sql in
            (try await PointsStore.balance(customerID: customer.id, tenantID: tenantID, sql: sql),
             try await PointsStore.lots(customerID: customer.id, tenantID: tenantID, sql: sql).reduce(0) { $0 + $1.remaining })
        }
    }
}

@Suite("Loyalty points by lots")
struct PointsTests {
    static let start = Date(timeIntervalSince1970: 1_793_577_600 + 9 * 3_600) // 2026-11-02 12:00 in Istanbul

    @Test("points are earned on delivery, redeemed from the lot soonest to lapse, and lapse lot by lot, once", arguments: TestDatabases.engines)
    func earnRedeemExpire(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let first = try await fixture.sale(customer, [LineRequest(service: "coat")])           // 400 TL: a lot of 400
        #expect(try await fixture.points(customer).points == 400)
        _ = try await fixture.kernel.settingsService.change("loyalty_points_expiry_months", to: .integer(1), by: fixture.owner)
        clock.advance(days: 10)
        try await fixture.sale(customer, [LineRequest(service: "shirt")])                      // 120 TL: a lot of 120, lapsing first
        let account = try await fixture.points(customer)
        #expect(account.points == 520 && account.lots.map(\.points) == [120, 400], "soonest to lapse first: \(account.lots)")
        #expect(account.entries.first?.reason == "Sipariş \(first.number)" || account.entries.contains { $0.orderId == first.id })

        let redeemed = try await fixture.loyalty.points.redeem(RedemptionInput(points: 150, reason: "kasada indirim"), customerID: customer.id,
                                                                by: fixture.owner)
        #expect(redeemed.entries.map(\.points) == [-120, -30] && redeemed.balance == 370, "the 120 lot first, then 30 of the 400")
        await #expect { try await fixture.loyalty.points.redeem(RedemptionInput(points: 371), customerID: customer.id, by: fixture.owner) }
            throws: { ($0 as? DomainError)?.code == .insufficientPoints && ($0 as? DomainError)?.context["availablePoints"] == ["370"] }

        clock.advance(days: 35)                                                                  // the shirt's lot lapsed (empty); the coat's is a year
        #expect(try await fixture.expire() == 0, "a lapsed lot with nothing left posts nothing")
        clock.advance(days: 365)
        #expect(try await fixture.points(customer).points == 0, "a lapsed lot is not usable, posted or not")
        #expect(try await fixture.expire() == 1)
        #expect(try await fixture.expire() == 0, "a lot lapses once")
        let sums = try await fixture.sums(customer)
        #expect(sums.entries == 0 && sums.lots == 0)
        let kinds = try await fixture.points(customer).entries.map(\.kind)
        #expect(kinds.first == .expire && kinds.filter { $0 == .earn }.count == 2 && kinds.filter { $0 == .redeem }.count == 2)
    }

    @Test("points are earned once per order and not at all while the tenant's rate is 0", arguments: [Engine.sqlite])
    func earnOnce(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock, rate: 0)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        try await fixture.sale(customer, [LineRequest(service: "coat")])
        #expect(try await fixture.points(customer).points == 0, "no programme, no points")
        _ = try await fixture.kernel.settingsService.change("loyalty_points_per_lira", to: .integer(2), by: fixture.owner)
        try await fixture.sale(customer, [LineRequest(service: "shirt", quantity: 2)])            // 240 TL × 2
        #expect(try await fixture.points(customer).points == 480)
    }

    @Test("redemptions of one customer at once spend each point once", arguments: TestDatabases.engines)
    func concurrentRedemptions(engine: Engine) async throws {
        let fixture = try await LoyaltyFixture.make(engine, clock: SteppingClock(Self.start))
        let customer = try await fixture.tenant.customer(fixture.kernel)
        try await fixture.sale(customer, [LineRequest(service: "coat")])                          // 400 points
        let points = fixture.loyalty.points
        let owner = fixture.owner
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        _ = try await points.redeem(RedemptionInput(points: 300), customerID: customer.id, by: owner)
                        return true
                    } catch let error as DomainError where error.code == .insufficientPoints {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1, "\(outcomes)")
        #expect(try await fixture.points(customer).points == 100)
        #expect(try await fixture.sums(customer) == (100, 100))
    }

    @Test("whatever the sequence of earning, redeeming and lapsing, the balance is the sum of the entries and of the lots, never below 0",
          arguments: TestDatabases.engines)
    func propertyOfSums(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock)
        _ = try await fixture.kernel.settingsService.change("loyalty_points_expiry_months", to: .integer(1), by: fixture.owner)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        var generator = SeededGenerator(seed: 20261202)
        let services = ["shirt", "tie", "coat", "trousers"]
        for step in 0..<40 {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: try await fixture.sale(customer, [LineRequest(service: services.randomElement(using: &generator)!)])
            case 1:
                let wanted = Int.random(in: 1...500, using: &generator)
                let usable = try await fixture.points(customer).points
                do {
                    let redeemed = try await fixture.loyalty.points.redeem(RedemptionInput(points: wanted), customerID: customer.id, by: fixture.owner)
                    #expect(wanted <= usable && redeemed.balance == usable - wanted, "step \(step)")
                } catch let error as DomainError where error.code == .insufficientPoints {
                    #expect(wanted > usable, "step \(step)")
                }
            case 2: _ = try await fixture.expire()
            default: clock.advance(days: Double(Int.random(in: 1...20, using: &generator)))
            }
            let sums = try await fixture.sums(customer)
            let account = try await fixture.points(customer)
            #expect(sums.entries == sums.lots, "step \(step)")
            #expect(account.points >= 0 && account.points <= sums.lots, "step \(step)")
            #expect(account.lots.allSatisfy { $0.remaining > 0 && $0.remaining <= $0.points }, "step \(step)")
        }
    }

    @Test("entries are append-only: the database refuses to change or remove one", arguments: TestDatabases.engines)
    func appendOnly(engine: Engine) async throws {
        let fixture = try await LoyaltyFixture.make(engine, clock: SteppingClock(Self.start))
        let customer = try await fixture.tenant.customer(fixture.kernel)
        try await fixture.sale(customer, [LineRequest(service: "coat")])
        let tenantID = fixture.tenant.tenant.id
        await #expect(throws: (any Error).self) {
            try await fixture.kernel.database.transaction(.tenant(tenantID)) { sql in
                try await sql.raw("UPDATE loyalty_entries SET points = 1000000 WHERE tenant_id = \(bind: tenantID)").run()
            }
        }
        await #expect(throws: (any Error).self) {
            try await fixture.kernel.database.transaction(.tenant(tenantID)) { sql in
                try await sql.raw("DELETE FROM loyalty_entries WHERE tenant_id = \(bind: tenantID)").run()
            }
        }
        #expect(try await fixture.points(customer).points == 400)
    }

    @Test("points loaded onto a list of customers lapse when the load says; a removal takes off every usable point; all or none",
          arguments: TestDatabases.engines)
    func bulkLoadAndRemove(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock)
        let staff = [try await fixture.tenant.customer(fixture.kernel, name: "Ali Kaya"), try await fixture.tenant.customer(fixture.kernel, name: "Veli Demir")]
        try await fixture.sale(staff[0], [LineRequest(service: "shirt")])                          // 120 earned
        let monthEnd = Self.start.addingTimeInterval(28 * 86_400)
        let loaded = try await fixture.loyalty.points.load(PointsLoadInput(customerIds: staff.map(\.id) + [staff[0].id], points: 500,
                                                                           reason: "Personel yemek Kasım", expiresAt: monthEnd), by: fixture.owner)
        #expect(loaded == PointsBulkResult(customers: 2, points: 1_000), "an id named twice is loaded once")
        #expect(try await fixture.points(staff[0]).lots.map(\.points) == [500, 120], "the meal points lapse first")
        await #expect { try await fixture.loyalty.points.load(PointsLoadInput(customerIds: [staff[1].id, UUID()], points: 5, reason: "x"), by: fixture.owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "customerIds[1]" }
        #expect(try await fixture.points(staff[1]).points == 500, "a refused load loads no one")
        let desk = fixture.tenant.principal(try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk).user)
        await #expect { try await fixture.loyalty.points.load(PointsLoadInput(customerIds: [staff[1].id], points: 5, reason: "x"), by: desk) }
            throws: { ($0 as? DomainError)?.code == .forbidden }

        clock.advance(days: 29)
        #expect(try await fixture.points(staff[1]).points == 0, "lapsed at the month's end")
        #expect(try await fixture.expire() == 2)
        let removed = try await fixture.loyalty.points.remove(PointsRemovalInput(customerIds: staff.map(\.id), reason: "Dönem sonu"), by: fixture.owner)
        #expect(removed == PointsBulkResult(customers: 2, points: 120), "only the earned lot was still usable")
        for customer in staff {
            #expect(try await fixture.points(customer).points == 0)
            #expect(try await fixture.sums(customer) == (0, 0))
        }
    }

    @Test("points redeemed towards an order come off what it costs, as a discount on the account, when points are worth money",
          arguments: TestDatabases.engines)
    func redeemAsDiscount(engine: Engine) async throws {
        let fixture = try await LoyaltyFixture.make(engine, clock: SteppingClock(Self.start),
                                                    subscribers: [AccountsModule.subscriber, LoyaltyModule.subscriber])
        _ = try await fixture.kernel.settingsService.change("accounts_pay_before_delivery", to: .text("off"), by: fixture.owner)
        let accounts = AccountsModule(kernel: fixture.kernel)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        try await fixture.sale(customer, [LineRequest(service: "coat")])                          // 400 points, 400 TL owed
        let order = try await fixture.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt")]),
                                                           by: fixture.owner)                          // 120 TL
        let plain = try await fixture.loyalty.points.redeem(RedemptionInput(points: 10, orderId: order.id), customerID: customer.id, by: fixture.owner)
        #expect(plain.discount == nil && plain.accountEntryId == nil, "points are not money by default")
        _ = try await fixture.kernel.settingsService.change("loyalty_point_value", to: .integer(10), by: fixture.owner)  // 10 kuruş a point
        let redeemed = try await fixture.loyalty.points.redeem(RedemptionInput(points: 300, orderId: order.id), customerID: customer.id,
                                                                by: fixture.owner)
        #expect(redeemed.discount == Money(lira: 30) && redeemed.accountEntryId != nil)
        #expect(try await accounts.ledger.balance(customerID: customer.id, by: fixture.owner).balance == Money(lira: 400 + 120 - 30))
        let statement = try await accounts.ledger.statement(customerID: customer.id, from: Self.start.addingTimeInterval(-86_400),
                                                            to: Self.start.addingTimeInterval(86_400), by: fixture.owner)
        #expect(statement.lines.filter { $0.entry.kind == .discount }.map { [$0.entry.orderId, $0.entry.amount] as [AnyHashable?] }
                == [[order.id, Money(lira: -30)]], "one discount, on the order")
        _ = try await fixture.loyalty.points.load(PointsLoadInput(customerIds: [customer.id], points: 5_000, reason: "kampanya"), by: fixture.owner)
        await #expect { try await fixture.loyalty.points.redeem(RedemptionInput(points: 1_300, orderId: order.id), customerID: customer.id,
                                                                 by: fixture.owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "orderId" }
        #expect(try await fixture.points(customer).points == 5_090, "a refused redemption spends nothing")
        _ = try await fixture.loyalty.points.redeem(RedemptionInput(points: 900, orderId: order.id), customerID: customer.id, by: fixture.owner)
        await #expect { try await fixture.loyalty.points.redeem(RedemptionInput(points: 1, orderId: order.id), customerID: customer.id,
                                                                 by: fixture.owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "orderId" }
        #expect(try await accounts.ledger.balance(customerID: customer.id, by: fixture.owner).balance == Money(lira: 400),
                "the order's discounts together come to what it costs, no more")
    }

    @Test("a redemption names a number of points in bounds, and is for staff who take orders")
    func refusals() async throws {
        let fixture = try await LoyaltyFixture.make(.sqlite, clock: SteppingClock(Self.start))
        let customer = try await fixture.tenant.customer(fixture.kernel)
        for (points, code) in [(nil, ErrorCode.missingField), (0, .invalidValue), (-5, .invalidValue), (1_000_000_001, .invalidValue)] as [(Int?, ErrorCode)] {
            await #expect { try await fixture.loyalty.points.redeem(RedemptionInput(points: points), customerID: customer.id, by: fixture.owner) }
                throws: { (($0 as? DomainError)?.fields.first?.code ?? ($0 as? DomainError)?.code) == code }
        }
        await #expect { try await fixture.loyalty.points.redeem(RedemptionInput(points: 1, reason: String(repeating: "x", count: 201)),
                                                                 customerID: customer.id, by: fixture.owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "reason" }
    }
}
