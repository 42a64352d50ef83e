import Accounts
import Contracts
import Foundation
import Kernel
@testable import Loyalty
import Storage
import Testing
import TestSupport

@Suite("Coupons")
struct CouponTests {
    @Test("a code's check character catches every single mistyped character and every swap of two neighbours")
    func checkCharacter() {
        var random = SeededGenerator(seed: 17)
        let alphabet = CouponCode.alphabet
        for _ in 0..<300 {
            let code = CouponCode.make(using: &random)
            #expect(CouponCode.normalized(code) == code)
            #expect(CouponCode.normalized(CouponCode.shown(code).lowercased()) == code, "typed in lower case with the dash")
            var characters = Array(code)
            for position in 0..<characters.count {
                let original = characters[position]
                for replacement in alphabet where replacement != original {
                    characters[position] = replacement
                    #expect(CouponCode.normalized(String(characters)) == nil, "\(code): \(position) → \(replacement)")
                }
                characters[position] = original
            }
            for position in 0..<(characters.count - 1) where characters[position] != characters[position + 1] {
                characters.swapAt(position, position + 1)
                #expect(CouponCode.normalized(String(characters)) == nil, "\(code): swap at \(position)")
                characters.swapAt(position, position + 1)
            }
        }
        #expect(CouponCode.normalized("ABCD-EFG0") == nil && CouponCode.normalized("ABC") == nil && CouponCode.normalized("") == nil)
    }

    @Test("a coupon is redeemed once, however many tills try at the same moment; a cancelled one not at all", arguments: TestDatabases.engines)
    func redeemOnce(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock)
        let coupons = fixture.loyalty.coupons
        let batch = try await coupons.issue(CouponBatchInput(count: 2, kind: "amount", value: 5_000, minimumBasket: Money(lira: 100),
                                                             validUntil: clock.now.addingTimeInterval(30 * 86_400)), by: fixture.owner)
        #expect(batch.coupons.count == 2 && Set(batch.coupons.map(\.code)).count == 2)
        let code = batch.coupons[0].code
        #expect(try await coupons.get(code.lowercased().replacingOccurrences(of: "-", with: ""), by: fixture.owner).status == .issued)
        let owner = fixture.owner
        let outcomes = try await withThrowingTaskGroup(of: Money?.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        return try await coupons.redeem(code, CouponRedemptionInput(basket: Money(lira: 250)), by: owner).discount
                    } catch let error as DomainError where error.code == .conflict {
                        return nil
                    }
                }
            }
            return try await group.reduce(into: [Money?]()) { $0.append($1) }
        }
        #expect(outcomes.compactMap { $0 } == [Money(lira: 50)], "\(outcomes)")
        #expect(try await coupons.get(code, by: fixture.owner).status == .redeemed)
        await #expect { try await coupons.cancel(code, by: fixture.owner) } throws: { ($0 as? DomainError)?.code == .conflict }

        let other = batch.coupons[1].code
        await #expect { try await coupons.redeem(other, CouponRedemptionInput(basket: Money(lira: 99)), by: owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "basket" }
        #expect(try await coupons.cancel(other, by: fixture.owner).status == .cancelled)
        await #expect { try await coupons.redeem(other, CouponRedemptionInput(basket: Money(lira: 250)), by: owner) }
            throws: { ($0 as? DomainError)?.code == .conflict }
    }

    @Test("a customer's coupon comes off their order on the account; not on another customer's; not after it lapses", arguments: TestDatabases.engines)
    func customersCoupon(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock, subscribers: [AccountsModule.subscriber, LoyaltyModule.subscriber])
        let accounts = AccountsModule(kernel: fixture.kernel)
        let ayse = try await fixture.tenant.customer(fixture.kernel, name: "Ayşe Yılmaz")
        let can = try await fixture.tenant.customer(fixture.kernel, name: "Can Öz")
        let batch = try await fixture.loyalty.coupons.issue(CouponBatchInput(customerIds: [ayse.id, can.id], kind: "percent", value: 15,
                                                                             validUntil: clock.now.addingTimeInterval(7 * 86_400)), by: fixture.owner)
        let ayses = try #require(batch.coupons.first { $0.customerId == ayse.id })
        let order = try await fixture.kernel.orders.create(OrderDraft(customerId: ayse.id, items: [LineRequest(service: "coat")]), by: fixture.owner)
        let cans = try #require(batch.coupons.first { $0.customerId == can.id })
        await #expect { try await fixture.loyalty.coupons.redeem(cans.code, CouponRedemptionInput(orderId: order.id), by: fixture.owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "orderId" }
        let redeemed = try await fixture.loyalty.coupons.redeem(ayses.code, CouponRedemptionInput(orderId: order.id), by: fixture.owner)
        #expect(redeemed.discount == Money(lira: 60) && redeemed.orderId == order.id, "15 % of 400 TL")
        #expect(try await accounts.ledger.balance(customerID: ayse.id, by: fixture.owner).balance == Money(lira: 340))
        clock.advance(days: 8)
        let late = try await fixture.kernel.orders.create(OrderDraft(customerId: can.id, items: [LineRequest(service: "coat")]), by: fixture.owner)
        await #expect { try await fixture.loyalty.coupons.redeem(cans.code, CouponRedemptionInput(orderId: late.id), by: fixture.owner) }
            throws: { ($0 as? DomainError)?.code == .conflict }
        #expect(try await accounts.ledger.balance(customerID: can.id, by: fixture.owner).balance == Money(lira: 400), "nothing taken off")
    }

    @Test("discounts on one order never add up to more than it costs, however many arrive at once; a customer's coupon needs their order",
          arguments: TestDatabases.engines)
    func discountsOnOneOrder(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock, subscribers: [AccountsModule.subscriber, LoyaltyModule.subscriber])
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let order = try await fixture.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt")]),
                                                           by: fixture.owner)                          // 120 TL
        let batch = try await fixture.loyalty.coupons.issue(CouponBatchInput(count: 4, kind: "amount", value: 8_000,
                                                                             validUntil: clock.now.addingTimeInterval(86_400)), by: fixture.owner)
        let coupons = fixture.loyalty.coupons
        let owner = fixture.owner
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for coupon in batch.coupons {
                group.addTask {
                    do {
                        _ = try await coupons.redeem(coupon.code, CouponRedemptionInput(orderId: order.id), by: owner)
                        return true
                    } catch let error as DomainError where error.fields.first?.field == "orderId" {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1, "80 TL fits a 120 TL order once: \(outcomes)")
        #expect(try await AccountsModule(kernel: fixture.kernel).ledger.balance(customerID: customer.id, by: owner).balance == Money(lira: 40))

        let personal = try await coupons.issue(CouponBatchInput(customerIds: [customer.id], kind: "percent", value: 10,
                                                                validUntil: clock.now.addingTimeInterval(86_400)), by: owner)
        await #expect { try await coupons.redeem(personal.coupons[0].code, CouponRedemptionInput(basket: Money(lira: 100)), by: owner) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "orderId" }
    }

    @Test("staff of one branch reach no other branch's order, even for a customer they see")
    func branchScope() async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(.sqlite, clock: clock)
        let (user, branch) = try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk)
        let desk = fixture.tenant.principal(user)
        let customer = try await fixture.kernel.customers.create(CustomerDraft(name: "Ayşe Yılmaz", phones: [PhoneInput(number: "0532 123 45 67")],
                                                                               branchId: branch.id), by: fixture.owner)
        try await fixture.sale(customer, [LineRequest(service: "coat")])                          // 400 points
        let elsewhere = try await fixture.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt")],
                                                                          branchId: fixture.tenant.branch.id), by: fixture.owner)
        await #expect { try await fixture.loyalty.points.redeem(RedemptionInput(points: 10, orderId: elsewhere.id), customerID: customer.id, by: desk) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "orderId" }
        #expect(try await fixture.loyalty.points.redeem(RedemptionInput(points: 10), customerID: customer.id, by: desk).balance == 390)
    }

    @Test("a batch is for managers, of a kind, a value in bounds, a validity ahead, and either a count or customers")
    func batchRefusals() async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(.sqlite, clock: clock)
        let later = clock.now.addingTimeInterval(86_400)
        let cases: [(CouponBatchInput, String)] = [
            (CouponBatchInput(count: 1, kind: "gift", value: 5, validUntil: later), "kind"),
            (CouponBatchInput(count: 1, kind: "percent", value: 101, validUntil: later), "value"),
            (CouponBatchInput(count: 1, kind: "amount", value: 0, validUntil: later), "value"),
            (CouponBatchInput(count: 1, kind: "amount", value: 5, validUntil: clock.now.addingTimeInterval(-1)), "validUntil"),
            (CouponBatchInput(kind: "amount", value: 5, validUntil: later), "count"),
            (CouponBatchInput(count: 10_001, kind: "amount", value: 5, validUntil: later), "count"),
            (CouponBatchInput(count: -3, kind: "amount", value: 5, validUntil: later), "count"),
        ]
        for (input, field) in cases {
            await #expect { try await fixture.loyalty.coupons.issue(input, by: fixture.owner) }
                throws: { ($0 as? DomainError)?.fields.first?.field == field }
        }
        let desk = fixture.tenant.principal(try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk).user)
        await #expect { try await fixture.loyalty.coupons.issue(CouponBatchInput(count: 1, kind: "amount", value: 5, validUntil: later), by: desk) }
            throws: { ($0 as? DomainError)?.code == .forbidden }
    }
}
