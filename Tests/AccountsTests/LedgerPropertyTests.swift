import Accounts
import Contracts
import Foundation
import Kernel
import Storage
import Testing
import TestSupport

@Suite("The account under any sequence of operations")
struct LedgerPropertyTests {
    @Test("whatever happens, the balance is the sum of the entries, equals what the operations owe, and no entry ever changes",
          arguments: TestDatabases.engines)
    func balanceIsTheSumOfEntries(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        let customer = try await fixture.tenant.customer(fixture.kernel)
        var random = SeededRandom(seed: 20_261_202)
        let services = ["shirt", "trousers", "suit_2", "tie", "coat"]
        var expected = Money.zero
        var orders: [Order] = []
        var correctable: [AccountEntry] = []
        var seen: [UUID: AccountEntry] = [:]
        for step in 0..<60 {
            switch random.next(below: 6) {
            case 0, 1:
                let lines = (0...random.next(below: 3)).map { _ in LineRequest(service: services[random.next(below: services.count)],
                                                                               quantity: 1 + random.next(below: 3)) }
                let order = try await fixture.order(customer, lines)
                orders.append(order)
                expected += order.totals.total
            case 2:
                let amount = 1 + random.next(below: 50_000)
                correctable.append(try await fixture.record("payment", amount, customer: customer, method: ["cash", "card", "transfer"][random.next(below: 3)]))
                expected -= Money(minorUnits: amount)
            case 3:
                let amount = 1 + random.next(below: 20_000)
                let kind = ["refund", "discount", "adjustment"][random.next(below: 3)]
                let debit = kind == "refund" || (kind == "adjustment" && random.next(below: 2) == 0)
                correctable.append(try await fixture.record(kind, amount, customer: customer, method: kind == "refund" ? "cash" : nil,
                                                            direction: kind == "adjustment" ? (debit ? "debit" : "credit") : nil, reason: "adım \(step)"))
                expected += Money(minorUnits: debit ? amount : -amount)
            case 4 where !correctable.isEmpty:
                let entry = correctable.remove(at: random.next(below: correctable.count))
                _ = try await fixture.accounts.ledger.correct(entryID: entry.id, reason: "düzeltme \(step)", by: fixture.owner)
                expected -= entry.amount
            case 5 where !orders.isEmpty:
                let order = orders[random.next(below: orders.count)]
                let before = try await fixture.kernel.orders.get(order.id, by: fixture.owner)
                guard let item = before.items.first(where: { $0.stage != Workflow.cancelled }) else { continue }
                _ = try await fixture.kernel.tracking.cancel(item.tag, reason: "adım \(step)", by: fixture.owner)
                let after = try await fixture.kernel.orders.get(order.id, by: fixture.owner)
                expected += (after.stage == Workflow.cancelled ? .zero : after.totals.total) - before.totals.total
            default:
                continue
            }
            let statement = try await fixture.accounts.ledger.statement(customerID: customer.id, from: Date().addingTimeInterval(-3_600),
                                                                        to: Date().addingTimeInterval(3_600), by: fixture.owner)
            let sum = statement.lines.reduce(Money.zero) { $0 + $1.entry.amount }
            let balance = try await fixture.balance(customer)
            #expect(statement.openingBalance == .zero)
            #expect(balance == sum, "step \(step): the balance is the sum of the entries")
            #expect(balance == expected, "step \(step): the balance is what the operations owe")
            #expect(statement.closingBalance == balance)
            for line in statement.lines {
                if let earlier = seen[line.entry.id] { #expect(earlier == line.entry, "step \(step): entry \(line.entry.id) changed") }
                seen[line.entry.id] = line.entry
            }
            #expect(seen.count == statement.lines.count, "step \(step): an entry disappeared")
        }
    }
}

/// A small deterministic generator (SplitMix64), so that a failing sequence can be replayed.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
