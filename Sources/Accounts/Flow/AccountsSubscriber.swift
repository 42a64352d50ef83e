import Contracts
import Foundation
import Kernel
import SQLKit

/// Keeps the account in step with the orders, inside the transaction that changes them: an order
/// is charged when taken in (or when delivered, by the tenant's setting), its later total changes
/// and its cancellation post the difference, so that what the account holds for an order always
/// equals what the order costs. Two guards hang here too, the same for every sector: an order that
/// would pass an open account's credit limit (refused when the tenant says so), and the delivery
/// of a cash customer's order while something is owed. It also notes when an order starts to
/// wait on the shelf and when it leaves, for storage fees and the uncollected list.
public struct AccountsSubscriber: OrderEventSubscriber {
    public init() {}

    public func handle(_ event: OrderEvent, context: EventContext) async throws {
        let sql = context.sql
        let tenantID = event.tenantId
        switch event.change {
        case .created, .delivered, .totalChanged, .cancelled: break
        case .stageChanged(let from, _, _):
            try await StorageWaits.left(event, stage: from, sql: sql)
            return
        case .ready:
            guard let order = try await OrderFacts.read(orderID: event.orderId, tenantID: tenantID, sql: sql) else { return }
            try await StorageWaits.ready(event, order: order, sql: sql)
            return
        default: return
        }
        guard let order = try await OrderFacts.read(orderID: event.orderId, tenantID: tenantID, sql: sql) else { return }
        let policy = AccountsSettings.Policy(try await SettingsService.values(AccountsSettings.declaration, tenantID: tenantID, sql: sql))
        // The guards decide on the customer's whole balance: lock it, so that two orders of one
        // customer are not both let through on the same balance. The charge itself follows its own
        // order, whose row the kernel holds locked for the change.
        let guarded = switch event.change {
        case .created: policy.refuseOverLimit
        case .delivered: policy.payBeforeDelivery
        default: false
        }
        if guarded { try await LedgerStore.lock(customerID: order.customerID, tenantID: tenantID, sql: sql) }
        let charged = try await LedgerStore.charged(orderID: order.orderID, tenantID: tenantID, sql: sql)
        let isDelivery: Bool = if case .delivered = event.change { true } else { false }
        let chargeable = !policy.chargeOnDelivery || isDelivery || charged.entries > 0
        let target = order.stage == Workflow.cancelled ? Money.zero : order.total
        if chargeable, target != charged.amount {
            _ = try await LedgerStore.append(
                LedgerStore.NewEntry(customerID: order.customerID, kind: .charge, amount: target - charged.amount, orderID: order.orderID,
                                     reason: Self.reason(event.change, number: order.number), occurredAt: event.occurredAt, recordedBy: "system"),
                tenantID: tenantID, at: event.occurredAt, sql: sql)
        }
        switch event.change {
        case .created: try await checkCreditLimit(order, charged: chargeable, policy: policy, tenantID: tenantID, sql: sql)
        case .delivered: try await checkPaid(order, policy: policy, tenantID: tenantID, sql: sql)
        default: break
        }
    }

    static func reason(_ change: OrderChange, number: String) -> String {
        switch change {
        case .created: "Sipariş \(number)"
        case .delivered: "Sipariş \(number) teslim"
        case .cancelled: "Sipariş \(number) iptal"
        default: "Sipariş \(number) tutar değişikliği"
        }
    }

    func checkCreditLimit(_ order: OrderFacts, charged: Bool, policy: AccountsSettings.Policy, tenantID: UUID, sql: any SQLDatabase) async throws {
        guard policy.refuseOverLimit else { return }
        let terms = try await TermsStore.terms(customerID: order.customerID, customerType: order.customerType, tenantID: tenantID, sql: sql)
        guard terms.kind == .open, let limit = terms.creditLimit else { return }
        let balance = try await LedgerStore.balance(customerID: order.customerID, tenantID: tenantID, sql: sql)
        let exposure = charged ? balance : balance + order.total
        guard exposure > limit else { return }
        throw DomainError(.creditLimitExceeded,
                          "This order would take the account to \(exposure.turkish), past its credit limit of \(limit.turkish); take a payment first.")
    }

    func checkPaid(_ order: OrderFacts, policy: AccountsSettings.Policy, tenantID: UUID, sql: any SQLDatabase) async throws {
        guard let due = try await Self.dueAtDelivery(order, policy: policy, tenantID: tenantID, sql: sql) else { return }
        throw DomainError(.paymentRequired,
                          "Order \(order.number) is handed over once paid: the customer owes \(due.turkish). Take the payment, then deliver.",
                          context: ["amountDue": [String(due.minorUnits)]])
    }

    /// What a cash customer must pay before `order` is handed over (their balance with the order's
    /// charge in full), or nil when nothing holds the delivery back: the tenant does not ask, the
    /// customer is on open account, or nothing is owed.
    static func dueAtDelivery(_ order: OrderFacts, policy: AccountsSettings.Policy, tenantID: UUID, sql: any SQLDatabase) async throws -> Money? {
        guard policy.payBeforeDelivery else { return nil }
        let terms = try await TermsStore.terms(customerID: order.customerID, customerType: order.customerType, tenantID: tenantID, sql: sql)
        guard terms.kind == .cash else { return nil }
        let balance = try await LedgerStore.balance(customerID: order.customerID, tenantID: tenantID, sql: sql)
        let charged = try await LedgerStore.charged(orderID: order.orderID, tenantID: tenantID, sql: sql)
        let due = balance + (order.total - charged.amount)
        return due.minorUnits > 0 ? due : nil
    }
}
