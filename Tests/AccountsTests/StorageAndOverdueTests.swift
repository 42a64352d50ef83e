@testable import Accounts
import Notify
import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Uncollected orders, storage fees and the overdue list")
struct StorageAndOverdueTests {
    static let start = Date(timeIntervalSince1970: 1_793_577_600) // 2026-11-02 00:00 UTC

    @Test("a storage fee posts once per period, however many runs post at once, and stops when the order is collected",
          arguments: TestDatabases.engines)
    func storageFeeOncePerPeriod(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        _ = try await fixture.kernel.settingsService.change("storage_fee", to: .integer(2_500), by: fixture.owner)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let order = try await fixture.order(customer, [LineRequest(service: "coat")])
        try await fixture.walk(order, to: "ready")
        let tenantID = fixture.tenant.tenant.id

        func postConcurrently(_ runs: Int) async throws -> Int {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<runs {
                    group.addTask {
                        try await fixture.kernel.database.transaction(.tenant(tenantID)) { sql in
                            try await fixture.accounts.storage.postFees(tenantID: tenantID, sql: sql)
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        clock.advance(days: 29.9)
        #expect(try await postConcurrently(4) == 0, "still within the 30 free days")
        clock.advance(days: 1)
        #expect(try await postConcurrently(8) == 1, "the first month begun: one fee, not eight")
        #expect(try await postConcurrently(8) == 0)
        clock.advance(days: 31)
        #expect(try await postConcurrently(8) == 1, "the second month")
        #expect(try await fixture.balance(customer) == Money(lira: 400) + Money(minorUnits: 5_000))
        let listed = try #require(try await fixture.accounts.storage.uncollected(by: fixture.owner).first)
        #expect(listed.orderId == order.id && listed.daysWaiting == 61 && !listed.atRisk && listed.feesPosted == Money(minorUnits: 5_000))
        clock.advance(days: 30)
        #expect(try await fixture.accounts.storage.uncollected(by: fixture.owner).first?.atRisk == true, "past 90 days")

        clock.advance(days: 0.5)                                   // 2 February: the third month began
        try await fixture.handOver(order)
        clock.advance(days: 3)
        #expect(try await postConcurrently(4) == 1, "the month begun before the order left is owed, posted late")
        clock.advance(days: 60)
        #expect(try await postConcurrently(4) == 0, "a collected order costs nothing more")
        #expect(try await fixture.accounts.storage.uncollected(by: fixture.owner).isEmpty)
        let fees = try await fixture.accounts.ledger.statement(customerID: customer.id, from: Self.start, to: clock.now, by: fixture.owner)
            .lines.filter { $0.entry.kind == .storageFee }
        #expect(fees.count == 3 && fees.allSatisfy { $0.entry.amount == Money(minorUnits: 2_500) && $0.entry.orderId == order.id })
    }

    @Test("the daily sweep posts storage fees through the worker", arguments: TestDatabases.engines)
    func sweepThroughWorker(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        _ = try await fixture.kernel.settingsService.change("storage_fee", to: .integer(1_000), by: fixture.owner)
        _ = try await fixture.kernel.settingsService.change("storage_fee_period", to: .text("day"), by: fixture.owner)
        _ = try await fixture.kernel.settingsService.change("storage_free_days", to: .integer(0), by: fixture.owner)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let order = try await fixture.order(customer, [LineRequest(service: "tie")])
        try await fixture.walk(order, to: "ready")
        clock.advance(days: 2.5)
        _ = try await fixture.kernel.queue.enqueue(AccountsDailySweep(), options: JobOptions(queue: fixture.queueName))
        try await fixture.working {
            let posted = try await eventually { try await fixture.balance(customer) == Money(lira: 90) + Money(lira: 30) }
            #expect(posted, "three days begun: 30 TL on top of the 90 TL tie")
        }
    }

    @Test("the overdue list: oldest debits settled first, aging buckets, priority; paying clears it", arguments: TestDatabases.engines)
    func overdueList(engine: Engine) async throws {
        let clock = SteppingClock(Self.start)
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        let company = try await fixture.tenant.customer(fixture.kernel, name: "Örnek Otel", type: "corporate")
        var patch = AccountProfilePatch()
        patch.terms = .value("open")
        patch.dueDays = .value(10)
        _ = try await fixture.accounts.terms.update(customerID: company.id, patch, by: fixture.owner)
        let other = try await fixture.tenant.customer(fixture.kernel, name: "Ali Veli")
        _ = try await fixture.order(company, [LineRequest(service: "duvet")])            // 700 TL, due day 10
        _ = try await fixture.order(other, [LineRequest(service: "shirt")])              // 120 TL, cash: due at once
        clock.advance(days: 5)
        #expect(try await fixture.accounts.overdue.list(by: fixture.owner).map(\.customerId) == [other.id])
        clock.advance(days: 35)
        _ = try await fixture.order(company, [LineRequest(service: "coat")])             // 400 TL, due day 50
        clock.advance(days: 5)                                                           // day 45
        _ = try await fixture.record("payment", 20_000, customer: company, method: "transfer")
        let list = try await fixture.accounts.overdue.list(by: fixture.owner)
        #expect(list.map(\.customerId) == [company.id, other.id], "500 TL × 35 days before 120 TL × 45 days")
        let account = try #require(list.first)
        #expect(account.balance == Money(lira: 900) && account.overdue == Money(lira: 500), "the payment settled the oldest debit first")
        #expect(account.daysLate == 35 && account.aging.days31to60 == Money(lira: 500) && account.aging.days0to30 == .zero)
        #expect(account.priority == 500 * 35)
        _ = try await fixture.record("payment", 50_000, customer: company, method: "transfer")
        #expect(try await fixture.accounts.overdue.list(by: fixture.owner).map(\.customerId) == [other.id], "the coat is not due yet")
    }

    @Test("overdue reminders follow the plan, once per step, and stop once the balance is paid", arguments: TestDatabases.engines)
    func reminders(engine: Engine) async throws {
        let clock = SteppingClock(Self.start.addingTimeInterval(9 * 3_600))   // 12:00 in Istanbul
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let notify = try await fixture.notify(gateway: gateway)
        let company = try await fixture.tenant.customer(fixture.kernel, name: "Ayşe Yılmaz", type: "corporate")
        _ = try await fixture.accounts.terms.setTypeTerms(TypeTermsInput(terms: "open", dueDays: 10), customerType: "corporate", by: fixture.owner)
        _ = try await fixture.order(company, [LineRequest(service: "duvet")])                        // 700 TL, due on day 10

        func dailyRun() async throws -> [NetgsmGateway.Sent] {
            _ = try await fixture.kernel.queue.enqueue(AccountsDailySweep(), options: JobOptions(queue: fixture.queueName))
            try await fixture.working(notify: notify) {
                let drained = try await eventually { try await fixture.drained() }
                #expect(drained)
            }
            return gateway.sent
        }
        clock.advance(days: 12)
        #expect(try await dailyRun().isEmpty, "two days late: the plan's first step is three")
        clock.advance(days: 2)
        let first = try await dailyRun()
        #expect(first.count == 1)
        #expect(first.first?.text.contains("700,00 ₺") == true && first.first?.text.contains("Ayşe Hanım") == false, "\(first)")
        #expect(first.first?.text.hasPrefix("Ayşe Yılmaz, 12.11.2026 vadeli 700,00 ₺ ödemeniz") == true, "\(first)")
        #expect(try await dailyRun().count == 1, "a step is sent once, however often the plan runs")
        _ = try await fixture.record("payment", 30_000, customer: company, method: "transfer")
        clock.advance(days: 7)
        let second = try await dailyRun()
        #expect(second.count == 2 && second.last?.text.contains("400,00 ₺") == true, "day 11 late: the second step, for what is left")
        _ = try await fixture.record("payment", 40_000, customer: company, method: "transfer")
        clock.advance(days: 20)
        #expect(try await dailyRun().count == 2, "paid: the third step is not sent")
    }

    @Test("an order left on the shelf is reminded of at the plan's steps, once each, and no more once collected", arguments: TestDatabases.engines)
    func uncollectedReminders(engine: Engine) async throws {
        let clock = SteppingClock(Self.start.addingTimeInterval(9 * 3_600))
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let notify = try await fixture.notify(gateway: gateway)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        let order = try await fixture.order(customer, [LineRequest(service: "coat")])
        try await fixture.walk(order, to: "ready")
        func dailyRun() async throws -> [NetgsmGateway.Sent] {
            _ = try await fixture.kernel.queue.enqueue(AccountsDailySweep(), options: JobOptions(queue: fixture.queueName))
            try await fixture.working(notify: notify) {
                let drained = try await eventually { try await fixture.drained() }
                #expect(drained)
            }
            return gateway.sent.filter { $0.text.contains("bekliyor") }
        }
        clock.advance(days: 2)
        #expect(try await dailyRun().isEmpty, "two days: the first step is three")
        clock.advance(days: 1.5)
        let first = try await dailyRun()
        #expect(first.map(\.text) == ["Ayşe Yılmaz, \(order.number) numaralı siparişiniz hazır ve sizi bekliyor. \(fixture.tenant.branch.name)"],
                "\(first)")
        #expect(try await dailyRun().count == 1, "once per step")
        try await fixture.handOver(order)
        clock.advance(days: 10)
        #expect(try await dailyRun().count == 1, "collected: no more reminders")
    }
}
