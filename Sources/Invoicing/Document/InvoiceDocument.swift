import Contracts
import Foundation

/// An invoice as issued: everything its UBL-TR document and its HTML rendition show, fixed at the
/// moment of issue. Amounts are kuruş; VAT rates are basis points (2000 = 20 %).
public struct InvoiceDocument: Sendable, Codable, Equatable {
    public enum Profile: String, Sendable, Codable {
        /// e-Fatura, basic scenario: a buyer with a tax number.
        case basic = "TEMELFATURA"
        /// e-Fatura, commercial scenario (the buyer may accept or reject).
        case commercial = "TICARIFATURA"
        /// e-Arşiv: a buyer outside e-Fatura, most often a person.
        case archive = "EARSIVFATURA"
    }

    public let number: String
    /// The document's UUID (ETTN).
    public let uuid: UUID
    public let profile: Profile
    /// In the tenant's time zone: `2026-12-01` and `14:05:09`.
    public let issueDate: String
    public let issueTime: String
    public let supplier: Party
    public let buyer: Party
    public let lines: [Line]
    public let taxes: [Tax]
    public let totals: Totals
    /// The orders it covers (`S000042`), in the order they were taken.
    public let orderNumbers: [String]
    /// A consolidated invoice's month, `2026-11`.
    public let period: String?

    public struct Party: Sendable, Codable, Equatable {
        /// A VKN (10 digits) or a TCKN (11 digits).
        public let taxNumber: String
        /// The registered title of a business, or a person's full name.
        public let name: String
        /// A person's first and family names (a TCKN buyer).
        public let firstName: String?
        public let familyName: String?
        public let taxOffice: String?
        public let street: String?
        public let district: String?
        public let city: String
        public let postalCode: String?
        public let mersis: String?
        public let email: String?
        public let phone: String?

        /// `VKN` or `TCKN`, the scheme of its identification.
        public var scheme: String { taxNumber.count == 10 ? "VKN" : "TCKN" }
    }

    public struct Line: Sendable, Codable, Equatable {
        public let name: String
        /// Up to four decimals (an area in m²), as text: `6.0000` is written `6`.
        public let quantity: String
        /// UN/ECE Rec. 20: C62 a piece, PR a pair, MTK a square metre, HUR an hour.
        public let unitCode: String
        /// VAT excluded, per unit, up to eight decimals, so that quantity × price is the line's amount to the kuruş.
        public let price: String
        /// VAT excluded, kuruş.
        public let net: Int
        public let vatBasisPoints: Int
        public let vat: Int
        /// For a zero rate: GİB's exemption code and its wording.
        public let exemptionCode: String?
        public let exemptionReason: String?
        public let note: String?
    }

    public struct Tax: Sendable, Codable, Equatable {
        public let vatBasisPoints: Int
        public let taxable: Int
        public let vat: Int
        public let exemptionCode: String?
        public let exemptionReason: String?
    }

    public struct Totals: Sendable, Codable, Equatable {
        /// The lines' amounts, VAT excluded.
        public let lineExtension: Int
        public let vat: Int
        /// lineExtension + vat.
        public let taxInclusive: Int
        /// What rounding VAT per rate leaves against what the customer pays (a few kuruş at most).
        public let rounding: Int
        /// What the customer pays: the orders' totals.
        public let payable: Int
    }
}
