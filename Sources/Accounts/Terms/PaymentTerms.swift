import Contracts
import Foundation
import Kernel

/// How a customer pays: on delivery, or on an open account with a number of days to pay and
/// perhaps a credit limit.
public struct PaymentTerms: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Pays when the order is handed over (peşin).
        case cash
        /// Buys on account (açık hesap / vadeli), paying within `dueDays`.
        case open
    }

    public let kind: Kind
    public let dueDays: Int
    /// Nil: no limit.
    public let creditLimit: Money?
    /// What the customer left as security (a cheque, a deposit), as written.
    public let collateral: String?
    /// Where the terms come from: `customer`, `customer_type` or `default`.
    public let source: String

    public static let cashOnDelivery = PaymentTerms(kind: .cash, dueDays: 0, creditLimit: nil, collateral: nil, source: "default")
}

/// The invoice identity of a customer: a tax number (VKN, 10 digits, for businesses) or a
/// national id (TCKN, 11 digits, for people), the tax office and the legal title.
public struct TaxIdentity: Sendable, Codable, Equatable {
    public let taxNumber: String?
    public let taxOffice: String?
    public let legalName: String?

    public init(taxNumber: String?, taxOffice: String?, legalName: String?) {
        self.taxNumber = taxNumber
        self.taxOffice = taxOffice
        self.legalName = legalName
    }

    /// A VKN (10 digits): the buyer is a business.
    public var isBusiness: Bool { taxNumber?.count == 10 }
}

/// A customer's terms and tax identity as the owner sets them.
public struct AccountProfile: Sendable, Encodable, Equatable {
    public let customerId: UUID
    public let terms: PaymentTerms
    public let tax: TaxIdentity
    public let version: Int
}

/// A change of a customer's profile; absent fields keep their value, `null` clears one.
public struct AccountProfilePatch: Sendable, Decodable {
    public var terms: PatchField<String> = .absent
    public var dueDays: PatchField<Int> = .absent
    public var creditLimit: PatchField<Money> = .absent
    public var collateral: PatchField<String> = .absent
    public var taxNumber: PatchField<String> = .absent
    public var taxOffice: PatchField<String> = .absent
    public var legalName: PatchField<String> = .absent

    public init() {}

    enum CodingKeys: String, CodingKey { case terms, dueDays, creditLimit, collateral, taxNumber, taxOffice, legalName }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        terms = try c.decodePatch(forKey: .terms)
        dueDays = try c.decodePatch(forKey: .dueDays)
        creditLimit = try c.decodePatch(forKey: .creditLimit)
        collateral = try c.decodePatch(forKey: .collateral)
        taxNumber = try c.decodePatch(forKey: .taxNumber)
        taxOffice = try c.decodePatch(forKey: .taxOffice)
        legalName = try c.decodePatch(forKey: .legalName)
    }
}

/// The terms of every customer of one type.
public struct TypeTerms: Sendable, Codable, Equatable {
    public let customerType: String
    public let terms: PaymentTerms.Kind
    public let dueDays: Int
    public let creditLimit: Money?
}
