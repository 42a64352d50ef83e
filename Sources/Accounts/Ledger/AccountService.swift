import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// The customer account (cari): balances, statements, entries taken by hand, corrections, terms.
/// Everything is scoped to what the signed-in user may see of the customer.
public struct AccountService: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock

    /// Statements cover at most this many days and hold at most `maximumStatementLines` entries.
    public static let maximumStatementDays = 400
    public static let maximumStatementLines = 10_000

    /// The balance now, or at the end of `at`.
    public func balance(customerID: UUID, at: Date? = nil, by principal: Principal) async throws -> AccountBalance {
        let customer = try await customers.get(customerID, by: principal)
        let moment = at ?? clock.now()
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let balance = try await LedgerStore.balance(customerID: customerID, tenantID: principal.tenantID, at: moment, sql: sql)
            let terms = try await TermsStore.terms(customerID: customerID, customerType: customer.customerType, tenantID: principal.tenantID, sql: sql)
            return AccountBalance(customerId: customerID, balance: balance, at: moment, terms: terms,
                                  creditAvailable: terms.kind == .open ? terms.creditLimit.map { $0 - balance } : nil)
        }
    }

    /// The statement (ekstre) of `from...to`.
    public func statement(customerID: UUID, from: Date, to: Date, by principal: Principal) async throws -> AccountStatement {
        guard from <= to else { throw DomainError.invalid("from", .invalidParameter, "from must not be after to.") }
        guard to.timeIntervalSince(from) <= Double(Self.maximumStatementDays) * 86_400 else {
            throw DomainError.invalid("to", .invalidParameter, "A statement covers at most \(Self.maximumStatementDays) days.")
        }
        let customer = try await customers.get(customerID, by: principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let opening = try await LedgerStore.balance(customerID: customerID, tenantID: principal.tenantID,
                                                        before: from, sql: sql)
            let entries = try await LedgerStore.entries(customerID: customerID, tenantID: principal.tenantID, from: from, to: to,
                                                        limit: Self.maximumStatementLines + 1, sql: sql)
            guard entries.count <= Self.maximumStatementLines else {
                throw DomainError.invalid("from", .invalidParameter, "The period holds more than \(Self.maximumStatementLines) entries; ask for a shorter one.")
            }
            return Self.statement(customerID: customer.id, code: customer.code, name: customer.name, from: from, to: to, opening: opening,
                                  entries: entries)
        }
    }

    static func statement(customerID: UUID, code: String, name: String, from: Date, to: Date, opening: Money, entries: [AccountEntry]) -> AccountStatement {
        var running = opening
        var debits = Money.zero
        var credits = Money.zero
        let lines = entries.map { entry in
            running += entry.amount
            if entry.amount.minorUnits > 0 { debits += entry.amount } else { credits -= entry.amount }
            return AccountStatement.Line(entry: entry, balance: running)
        }
        return AccountStatement(customerId: customerID, customerCode: code, customerName: name, from: from, to: to,
                                openingBalance: opening, debits: debits, credits: credits, closingBalance: running, lines: lines)
    }

    /// What must be paid before `orderID` may be handed over (pay-before-delivery, cash customers),
    /// nil when nothing holds it back.
    public func dueAtDelivery(orderID: UUID, by principal: Principal) async throws -> Money? {
        let tenantID = principal.tenantID
        guard let order = try await database.read(.tenant(tenantID), { sql in try await OrderFacts.read(orderID: orderID, tenantID: tenantID, sql: sql) })
        else { throw DomainError.notFound("The order") }
        _ = try await customers.get(order.customerID, by: principal)
        return try await database.read(.tenant(tenantID)) { sql in
            let policy = AccountsSettings.Policy(try await SettingsService.values(AccountsSettings.declaration, tenantID: tenantID, sql: sql))
            return try await AccountsSubscriber.dueAtDelivery(order, policy: policy, tenantID: tenantID, sql: sql)
        }
    }

    /// Records a payment, refund, return, discount or adjustment.
    public func record(_ input: EntryInput, customerID: UUID, by principal: Principal) async throws -> AccountEntry {
        let now = clock.now()
        let entry = try input.validated(now: now)
        if entry.kind != .payment { try Self.requireAccountant(principal) }
        let customer = try await customers.get(customerID, by: principal)
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            if let orderID = entry.orderID {
                guard let order = try await OrderFacts.read(orderID: orderID, tenantID: principal.tenantID, sql: sql),
                      order.customerID == customerID else {
                    throw DomainError.invalid("orderId", .invalidValue, "orderId must be an order of this customer.")
                }
            }
            let posted = try await LedgerStore.append(
                LedgerStore.NewEntry(customerID: customerID, kind: entry.kind, amount: entry.amount, method: entry.method, orderID: entry.orderID,
                                     reason: entry.reason, occurredAt: entry.occurredAt, recordedBy: "user:" + principal.userID.uuidString),
                tenantID: principal.tenantID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: customer.branchId, actor: principal.actor,
                                      action: "account.\(entry.kind.rawValue)", entity: "account_entry", entityID: posted.id.uuidString,
                                      after: posted, at: now)
            return posted
        }
    }

    /// Cancels an entry with a new one of the opposite amount. Charges follow their order (change
    /// or cancel the order instead); an entry is corrected once, and a correction is not corrected.
    public func correct(entryID: UUID, reason: String?, by principal: Principal) async throws -> AccountEntry {
        try Self.requireAccountant(principal)
        var errors = FieldErrors()
        let reason = errors.requiredText("reason", reason, maximum: EntryInput.maximumReason)
        try errors.throwIfAny()
        let now = clock.now()
        let original = try await database.read(.tenant(principal.tenantID)) { sql in
            try await LedgerStore.entry(entryID, tenantID: principal.tenantID, sql: sql)
        }
        guard let original else { throw DomainError.notFound("account entry") }
        let customer = try await customers.get(original.customerId, by: principal)
        guard original.kind != .charge, original.kind != .correction else {
            throw DomainError(.conflict, original.kind == .charge ? "A charge follows its order: change or cancel the order instead."
                                                                   : "A correction cannot itself be corrected; record a new entry instead.")
        }
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            guard try await !LedgerStore.isCorrected(entryID, tenantID: principal.tenantID, sql: sql) else {
                throw DomainError(.conflict, "This entry has been corrected already.")
            }
            let posted = try await LedgerStore.append(
                LedgerStore.NewEntry(customerID: original.customerId, kind: .correction, amount: Money(minorUnits: -original.amount.minorUnits),
                                     method: original.method, orderID: original.orderId, correctsID: original.id, reason: reason,
                                     occurredAt: now, recordedBy: "user:" + principal.userID.uuidString),
                tenantID: principal.tenantID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: customer.branchId, actor: principal.actor,
                                      action: "account.correction", entity: "account_entry", entityID: posted.id.uuidString,
                                      before: original, after: posted, at: now)
            return posted
        }
    }

    /// Refunds, returns, discounts, adjustments, corrections and terms are for the owner, the
    /// accountant and branch managers; the front desk takes payments.
    static func requireAccountant(_ principal: Principal) throws {
        try principal.require(oneOf: [.owner, .accountant, .branchManager], to: "do this")
    }
}
