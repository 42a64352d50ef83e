import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// A customer who owes money past its due date, with how late and how much, by age.
public struct OverdueAccount: Sendable, Encodable, Equatable {
    public struct Aging: Sendable, Encodable, Equatable {
        public var days0to30: Money = .zero
        public var days31to60: Money = .zero
        public var days61to90: Money = .zero
        public var over90: Money = .zero
    }

    public let customerId: UUID
    public let customerCode: String
    public let customerName: String
    public let balance: Money
    /// What is past its due date (never more than the balance).
    public let overdue: Money
    /// The due date of the oldest unpaid debit.
    public let oldestDueAt: Date
    public let daysLate: Int
    /// Collection priority: each overdue amount in lira times its days late, summed; larger first.
    public let priority: Int
    public let aging: Aging
    public let terms: PaymentTerms
}

/// The overdue list (F7). Payments and other credits settle the oldest debits first (FIFO); a
/// debit is due `dueDays` after it happened (on the day itself for cash customers).
public struct OverdueService: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock

    public static let maximumListed = 1_000

    public func list(by principal: Principal) async throws -> [OverdueAccount] {
        try AccountService.requireAccountant(principal)
        let now = clock.now()
        let tenantID = principal.tenantID
        let owing = try await database.read(.tenant(tenantID)) { sql in
            try await Self.owing(tenantID: tenantID, limit: Self.maximumListed, sql: sql)
        }
        let cards = try await customers.cards(owing, by: principal)
        let visible = owing.filter { cards[$0] != nil }
        let accounts = try await database.read(.tenant(tenantID)) { sql in
            var accounts: [OverdueAccount] = []
            for customerID in visible {
                guard let card = cards[customerID] else { continue }
                let terms = try await TermsStore.terms(customerID: customerID, customerType: card.customerType, tenantID: tenantID, sql: sql)
                let entries = try await LedgerStore.entries(customerID: customerID, tenantID: tenantID, from: nil, to: nil, limit: 100_000, sql: sql)
                if let standing = Self.standing(entries: entries, terms: terms, now: now) {
                    accounts.append(OverdueAccount(customerId: card.id, customerCode: card.code, customerName: card.name, balance: standing.balance,
                                                   overdue: standing.overdue, oldestDueAt: standing.oldestDueAt, daysLate: standing.daysLate,
                                                   priority: standing.priority, aging: standing.aging, terms: terms))
                }
            }
            return accounts
        }
        return accounts.sorted { ($0.priority, $0.overdue) > ($1.priority, $1.overdue) }
    }

    /// Where one customer's account stands, for the reminder jobs (no principal: the job's tenant).
    static func standing(customerID: UUID, tenantID: UUID, now: Date, sql: any SQLDatabase) async throws -> (Standing, branchID: UUID)? {
        guard let facts = try await CustomerFacts.read(customerID: customerID, tenantID: tenantID, sql: sql), !facts.deleted else { return nil }
        let terms = try await TermsStore.terms(customerID: customerID, customerType: facts.customerType, tenantID: tenantID, sql: sql)
        let entries = try await LedgerStore.entries(customerID: customerID, tenantID: tenantID, from: nil, to: nil, limit: 100_000, sql: sql)
        return standing(entries: entries, terms: terms, now: now).map { ($0, facts.branchID) }
    }

    /// The customers of `tenantID` who owe anything, largest balance first.
    static func owing(tenantID: UUID, limit: Int, sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw("""
            SELECT customer_id FROM account_entries WHERE tenant_id = \(bind: tenantID)
            GROUP BY customer_id HAVING SUM(amount) > 0 ORDER BY SUM(amount) DESC \(SQLLimit(limit))
            """).all().map { try $0.decode(column: "customer_id", as: UUID.self) }
    }

    /// What of an account is overdue.
    struct Standing: Sendable {
        var overdue: Money
        var oldestDueAt: Date
        var daysLate: Int
        var priority: Int
        var aging: OverdueAccount.Aging
        var balance: Money
    }

    /// What of `entries` is overdue at `now`, or nil when nothing is.
    static func standing(entries: [AccountEntry], terms: PaymentTerms, now: Date) -> Standing? {
        var remainingCredit = entries.reduce(0) { $0 + ($1.amount.minorUnits < 0 ? -$1.amount.minorUnits : 0) }
        var aging = OverdueAccount.Aging()
        var overdue = 0
        var priority = 0
        var oldest: Date?
        for entry in entries where entry.amount.minorUnits > 0 {
            let settled = min(remainingCredit, entry.amount.minorUnits)
            remainingCredit -= settled
            let open = entry.amount.minorUnits - settled
            let due = entry.occurredAt.addingTimeInterval(Double(terms.dueDays) * 86_400)
            guard open > 0, due < now else { continue }
            let days = Int(now.timeIntervalSince(due) / 86_400)
            oldest = oldest ?? due
            overdue += open
            priority += (open / 100) * max(days, 1)
            switch days {
            case ...30: aging.days0to30 += Money(minorUnits: open)
            case 31...60: aging.days31to60 += Money(minorUnits: open)
            case 61...90: aging.days61to90 += Money(minorUnits: open)
            default: aging.over90 += Money(minorUnits: open)
            }
        }
        guard overdue > 0, let oldest else { return nil }
        return Standing(overdue: Money(minorUnits: overdue), oldestDueAt: oldest, daysLate: Int(now.timeIntervalSince(oldest) / 86_400),
                        priority: priority, aging: aging, balance: entries.reduce(Money.zero) { $0 + $1.amount })
    }
}
