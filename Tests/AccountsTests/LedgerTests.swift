@testable import Accounts
import Contracts
import Foundation
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("The customer account (cari)")
struct LedgerTests {
    @Test("a scripted month of orders, payments, a refund and a storage fee: balances and the statement exact to the kuruş", arguments: TestDatabases.engines)
    func scriptedMonth(engine: Engine) async throws {
        let start = Date(timeIntervalSince1970: 1_793_577_600) // 2026-11-02 00:00 UTC
        let clock = SteppingClock(start)
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        _ = try await fixture.kernel.settingsService.change("storage_fee", to: .integer(12_550), by: fixture.owner)
        _ = try await fixture.kernel.settingsService.change("storage_free_days", to: .integer(0), by: fixture.owner)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        // Day 1: two shirts and a suit (120 + 120 + 380 = 620 TL), charged on acceptance.
        let first = try await fixture.order(customer, [LineRequest(service: "shirt", quantity: 2), LineRequest(service: "suit_2")])
        #expect(first.totals.total == Money(lira: 620))
        #expect(try await fixture.balance(customer) == Money(lira: 620))
        clock.advance(days: 2)
        let paid = try await fixture.record("payment", 40_000, customer: customer, method: "cash")
        #expect(paid.amount == Money(minorUnits: -40_000))
        clock.advance(days: 3)
        // Day 6: a coat (400 TL); then its suit is cancelled (−380 TL on the first order).
        let second = try await fixture.order(customer, [LineRequest(service: "coat")])
        clock.advance(days: 0.01)
        let suit = try #require(first.items.first { $0.service == "suit_2" })
        _ = try await fixture.kernel.tracking.cancel(suit.tag, reason: "müşteri vazgeçti", by: fixture.owner)
        clock.advance(days: 0.01)
        // The coat is ready and not picked up: with no free days, a month's storage fee (125,50 TL) is
        // owed from the moment it is ready, posted by the next run.
        try await fixture.walk(second, to: "ready")
        clock.advance(days: 4)
        let tenantID = fixture.tenant.tenant.id
        let posted = try await fixture.kernel.database.transaction(.tenant(tenantID)) { sql in
            try await fixture.accounts.storage.postFees(tenantID: tenantID, sql: sql)
        }
        #expect(posted == 1)
        _ = try await fixture.record("refund", 5_000, customer: customer, method: "card", reason: "fazla ödeme iadesi")
        clock.advance(days: 0.01)
        let discount = try await fixture.record("discount", 2_000, customer: customer, reason: "gecikme özrü")
        clock.advance(days: 1)
        _ = try await fixture.accounts.ledger.correct(entryID: discount.id, reason: "yanlış müşteri", by: fixture.owner)
        // 620 − 400 + 400 − 380 + 125,50 (storage) + 50 − 20 + 20 = 415,50 TL
        #expect(try await fixture.balance(customer) == Money(minorUnits: 41_550))
        let midMonth = try await fixture.accounts.ledger.balance(customerID: customer.id, at: start.addingTimeInterval(4 * 86_400), by: fixture.owner)
        #expect(midMonth.balance == Money(lira: 220), "after the first order and the payment only")

        let statement = try await fixture.accounts.ledger.statement(customerID: customer.id, from: start.addingTimeInterval(86_400),
                                                                    to: start.addingTimeInterval(30 * 86_400), by: fixture.owner)
        #expect(statement.openingBalance == Money(lira: 620), "the first order was taken before the period")
        #expect(statement.lines.map(\.entry.kind) == [.payment, .charge, .charge, .storageFee, .refund, .discount, .correction])
        #expect(statement.lines.map(\.balance.minorUnits) == [22_000, 62_000, 24_000, 36_550, 41_550, 39_550, 41_550])
        #expect(statement.lines[3].entry.orderId == second.id)
        #expect(statement.debits == Money(minorUnits: 40_000 + 5_000 + 12_550 + 2_000))
        #expect(statement.credits == Money(minorUnits: 40_000 + 38_000 + 2_000))
        #expect(statement.closingBalance == Money(minorUnits: 41_550))
        #expect(statement.lines[1].entry.orderId == second.id && statement.lines[2].entry.orderId == first.id)
    }

    @Test("entries are append-only: the database refuses to change or remove one", arguments: TestDatabases.engines)
    func appendOnly(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let entry = try await fixture.record("payment", 1_000, customer: customer, method: "cash")
        let tenantID = fixture.tenant.tenant.id
        await #expect(throws: (any Error).self) {
            try await fixture.kernel.database.transaction(.tenant(tenantID)) { sql in
                try await sql.raw("UPDATE account_entries SET amount = 1 WHERE tenant_id = \(bind: tenantID) AND id = \(bind: entry.id)").run()
            }
        }
        await #expect(throws: (any Error).self) {
            try await fixture.kernel.database.transaction(.tenant(tenantID)) { sql in
                try await sql.raw("DELETE FROM account_entries WHERE tenant_id = \(bind: tenantID) AND id = \(bind: entry.id)").run()
            }
        }
        #expect(try await fixture.balance(customer) == Money(minorUnits: -1_000))
    }

    @Test("an entry is corrected once; a charge follows its order and is not corrected by hand", arguments: TestDatabases.engines)
    func corrections(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        _ = try await fixture.order(customer, [LineRequest(service: "shirt")])
        let payment = try await fixture.record("payment", 12_000, customer: customer, method: "card")
        _ = try await fixture.accounts.ledger.correct(entryID: payment.id, reason: "çift çekim", by: fixture.owner)
        await #expect { try await fixture.accounts.ledger.correct(entryID: payment.id, reason: "yine", by: fixture.owner) }
            throws: { ($0 as? DomainError)?.code == .conflict }
        let charge = try #require(try await fixture.accounts.ledger.statement(customerID: customer.id, from: Date().addingTimeInterval(-60),
                                                                               to: Date().addingTimeInterval(60), by: fixture.owner)
            .lines.first { $0.entry.kind == .charge })
        await #expect { try await fixture.accounts.ledger.correct(entryID: charge.entry.id, reason: "x", by: fixture.owner) }
            throws: { ($0 as? DomainError)?.code == .conflict }
        #expect(try await fixture.balance(customer) == Money(lira: 120))
        let desk = try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk)
        await #expect { try await fixture.accounts.ledger.record(EntryInput(kind: "refund", amount: 100, method: "cash", reason: "iade"),
                                                                  customerID: customer.id, by: fixture.tenant.principal(desk.user)) }
            throws: { ($0 as? DomainError)?.code == .forbidden }
    }

    @Test("bad entries are refused with the field and the reason")
    func validation() async throws {
        let now = Date()
        let cases: [(EntryInput, String)] = [
            (EntryInput(kind: "payment", amount: 0, method: "cash"), "amount"),
            (EntryInput(kind: "payment", amount: Money(minorUnits: Money.maximum.minorUnits + 1), method: "cash"), "amount"),
            (EntryInput(kind: "payment", amount: 100), "method"),
            (EntryInput(kind: "charge", amount: 100), "kind"),
            (EntryInput(kind: "adjustment", amount: 100, reason: "x"), "direction"),
            (EntryInput(kind: "refund", amount: 100, method: "cash"), "reason"),
            (EntryInput(kind: "payment", amount: 100, method: "cash", occurredAt: now.addingTimeInterval(3_600)), "occurredAt"),
        ]
        for (input, field) in cases {
            #expect(throws: DomainError.self) { _ = try input.validated(now: now) }
            do { _ = try input.validated(now: now) } catch let error as DomainError {
                #expect(error.fields.map(\.field).contains(field) || error.message.contains(field), "\(field): \(error)")
            }
        }
    }

    @Test("an open account past its credit limit is refused when the tenant says so; a cash customer pays before delivery",
          arguments: TestDatabases.engines)
    func guards(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        let company = try await fixture.tenant.customer(fixture.kernel, name: "Örnek A.Ş.", type: "corporate")
        _ = try await fixture.accounts.terms.setTypeTerms(TypeTermsInput(terms: "open", dueDays: 30, creditLimit: Money(lira: 1_000)),
                                                         customerType: "corporate", by: fixture.owner)
        _ = try await fixture.order(company, [LineRequest(service: "coat", quantity: 2)])   // 800 TL: under the limit
        _ = try await fixture.order(company, [LineRequest(service: "coat")])                // 1 200 TL: warned only (the default)
        try await fixture.set("accounts_credit_policy", "refuse")
        await #expect { try await fixture.order(company, [LineRequest(service: "tie")]) } throws: { ($0 as? DomainError)?.code == .creditLimitExceeded }
        #expect(try await fixture.balance(company) == Money(lira: 1_200), "the refused order left nothing behind")
        let view = try await fixture.accounts.ledger.balance(customerID: company.id, by: fixture.owner)
        #expect(view.terms.kind == .open && view.terms.source == "customer_type" && view.creditAvailable == Money(lira: -200))

        // Cash customers pay before their order is handed over (the default).
        let person = try await fixture.tenant.customer(fixture.kernel)
        let order = try await fixture.order(person, [LineRequest(service: "shirt")])
        try await fixture.walk(order, to: "ready")
        await #expect { try await fixture.walk(order, to: "delivered") } throws: { ($0 as? DomainError)?.code == .paymentRequired }
        _ = try await fixture.record("payment", 12_000, customer: person, method: "cash")
        try await fixture.walk(order, to: "delivered")
        #expect(try await fixture.kernel.orders.get(order.id, by: fixture.owner).stage == "delivered")
        #expect(try await fixture.balance(person) == .zero)
    }

    @Test("charged on delivery: nothing is owed until the order is handed over", arguments: TestDatabases.engines)
    func chargeOnDelivery(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        try await fixture.set("accounts_charge_on", "delivery")
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let order = try await fixture.order(customer, [LineRequest(service: "shirt"), LineRequest(service: "tie")])
        #expect(try await fixture.balance(customer) == .zero)
        try await fixture.walk(order, to: "ready")
        #expect(try await fixture.accounts.ledger.dueAtDelivery(orderID: order.id, by: fixture.owner) == Money(lira: 210),
                "nothing charged yet, yet the order is paid for at the handover")
        await #expect { try await fixture.walk(order, to: "delivered") } throws: {
            ($0 as? DomainError)?.code == .paymentRequired && ($0 as? DomainError)?.context["amountDue"] == ["21000"]
        }
        #expect(try await fixture.balance(customer) == .zero, "the refused handover left nothing behind")
        try await fixture.set("accounts_pay_before_delivery", "off")              // the business lets them take it on account
        try await fixture.walk(order, to: "delivered")
        #expect(try await fixture.balance(customer) == Money(lira: 210))
    }

    @Test("one payment lets one order go, however many of the customer's orders are handed over at once", arguments: TestDatabases.engines)
    func handoversRace(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        try await fixture.set("accounts_charge_on", "delivery")             // each handover posts its own charge as it decides
        let customer = try await fixture.tenant.customer(fixture.kernel)
        var orders: [Order] = []
        for _ in 0..<4 {
            let order = try await fixture.order(customer, [LineRequest(service: "shirt")])  // 120 TL each
            try await fixture.walk(order, to: "ready")
            orders.append(order)
        }
        _ = try await fixture.record("payment", 12_000, customer: customer, method: "cash")    // one shirt's worth, paid in advance
        let owner = fixture.owner
        let outcomes = try await withThrowingTaskGroup(of: ErrorCode?.self) { group in
            for order in orders {
                group.addTask {
                    do {
                        _ = try await fixture.kernel.tracking.scan(order.items[0].tag, to: "delivered", note: nil, by: owner)
                        return nil
                    } catch let error as DomainError {
                        return error.code
                    }
                }
            }
            return try await group.reduce(into: [ErrorCode?]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == .paymentRequired }.count == 3, "\(outcomes)")
        #expect(try await fixture.balance(customer) == .zero, "the one let go is paid for; the others left nothing behind")
    }
}
