import Contracts
import Foundation
import Kernel

/// An entry the front desk or the accountant records by hand. Amounts are given positive; the kind
/// (and an adjustment's direction) says which way they go.
public struct EntryInput: Sendable, Decodable {
    /// `payment`, `refund`, `return`, `discount` or `adjustment`.
    public var kind: String?
    public var amount: Money?
    /// `cash`, `card` or `transfer`; required for payments and refunds.
    public var method: String?
    /// An adjustment's way: `debit` (the customer owes more) or `credit`.
    public var direction: String?
    public var orderId: UUID?
    /// Required for everything but a payment.
    public var reason: String?
    /// When it happened, if not now (never in the future).
    public var occurredAt: Date?

    public init(kind: String?, amount: Money?, method: String? = nil, direction: String? = nil, orderId: UUID? = nil,
                reason: String? = nil, occurredAt: Date? = nil) {
        self.kind = kind
        self.amount = amount
        self.method = method
        self.direction = direction
        self.orderId = orderId
        self.reason = reason
        self.occurredAt = occurredAt
    }

    static let kinds: [AccountEntry.Kind] = [.payment, .refund, .return, .discount, .adjustment]
    static let maximumReason = 200
    /// How far back an entry may be dated.
    static let maximumBackdating: TimeInterval = 366 * 86_400

    struct Valid {
        var kind: AccountEntry.Kind
        var amount: Money
        var method: PaymentMethod?
        var orderID: UUID?
        var reason: String?
        var occurredAt: Date
    }

    func validated(now: Date) throws -> Valid {
        var errors = FieldErrors()
        var kind: AccountEntry.Kind?
        if let text = self.kind {
            kind = AccountEntry.Kind(rawValue: text).flatMap { Self.kinds.contains($0) ? $0 : nil }
            if kind == nil { errors.add("kind", .invalidValue, "kind must be one of payment, refund, return, discount, adjustment.") }
        } else {
            errors.add("kind", .missingField, "kind is required.")
        }
        if let amount {
            if amount.minorUnits < 1 { errors.add("amount", .invalidValue, "amount must be at least 1 kuruş.") }
            if amount > Money.maximum { errors.add("amount", .amountTooLarge, "amount must be at most \(Money.maximum.turkish).") }
        } else {
            errors.add("amount", .missingField, "amount is required (in kuruş).")
        }
        var method: PaymentMethod?
        if let text = self.method {
            method = PaymentMethod(rawValue: text)
            if method == nil { errors.add("method", .invalidValue, "method must be one of cash, card, transfer.") }
        } else if kind == .payment || kind == .refund {
            errors.add("method", .missingField, "method is required for a payment or a refund.")
        }
        var credit = true
        switch (kind, direction) {
        case (.adjustment?, nil): errors.add("direction", .missingField, "direction is required for an adjustment: debit or credit.")
        case (_, "debit"?): credit = false
        case (_, "credit"?), (_, nil): break
        case (_, _?): errors.add("direction", .invalidValue, "direction must be debit or credit.")
        }
        let reason = errors.optionalText("reason", reason, maximum: Self.maximumReason)
        if reason == nil, let kind, kind != .payment, !errors.all.contains(where: { $0.field == "reason" }) {
            errors.add("reason", .missingField, "reason is required for a \(kind.rawValue).")
        }
        let at = occurredAt ?? now
        if at > now.addingTimeInterval(60) { errors.add("occurredAt", .invalidValue, "occurredAt must not be in the future.") }
        if at < now.addingTimeInterval(-Self.maximumBackdating) { errors.add("occurredAt", .invalidValue, "occurredAt must be within the last 366 days.") }
        try errors.throwIfAny()
        guard let kind, let amount else { throw DomainError(.validationFailed, "The entry is not valid.") }
        let debit: Bool = switch kind {
        case .refund: true
        case .adjustment: !credit
        default: false
        }
        return Valid(kind: kind, amount: debit ? amount : Money(minorUnits: -amount.minorUnits), method: method, orderID: orderId,
                     reason: reason, occurredAt: at)
    }
}
