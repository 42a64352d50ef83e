import Contracts
import Foundation

/// One line of a customer's account (cari). Entries are never changed: a mistake is put right by a
/// correction, a new entry of the opposite amount that names the one it corrects.
public struct AccountEntry: Sendable, Codable, Equatable {
    public let id: UUID
    public let customerId: UUID
    public let kind: Kind
    /// Signed: positive is owed by the customer (a debit), negative is owed to them (a credit).
    public let amount: Money
    public let method: PaymentMethod?
    public let orderId: UUID?
    public let correctsId: UUID?
    public let reason: String?
    /// When it happened (a payment's date may be earlier than when it was typed in).
    public let occurredAt: Date
    /// `user:<id>` or `system`.
    public let recordedBy: String
    public let recordedAt: Date

    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// What an order costs (and its later changes: a cancelled item, a corrected measure).
        case charge
        /// Money taken from the customer.
        case payment
        /// Money given back to the customer.
        case refund
        /// Goods or services given back: the charge for them taken off.
        case `return`
        /// A reduction granted after the order.
        case discount
        /// A storage fee for a period an order waited uncollected.
        case storageFee = "storage_fee"
        /// A manual debit or credit, with its reason.
        case adjustment
        /// Cancels one earlier entry.
        case correction
    }
}

public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case cash, card, transfer
}

/// Where an account stands.
public struct AccountBalance: Sendable, Encodable, Equatable {
    public let customerId: UUID
    /// Positive: the customer owes; negative: the business owes (a prepayment).
    public let balance: Money
    public let at: Date
    public let terms: PaymentTerms
    /// Credit left under the limit, for open accounts with one.
    public let creditAvailable: Money?
}

/// A statement (ekstre) for a period: what was owed before it, every entry in it with the running
/// balance, and what is owed at its end.
public struct AccountStatement: Sendable, Encodable, Equatable {
    public struct Line: Sendable, Encodable, Equatable {
        public let entry: AccountEntry
        public let balance: Money
    }

    public let customerId: UUID
    public let customerCode: String
    public let customerName: String
    public let from: Date
    public let to: Date
    public let openingBalance: Money
    public let debits: Money
    public let credits: Money
    public let closingBalance: Money
    public let lines: [Line]
}
