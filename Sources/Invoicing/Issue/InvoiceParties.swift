import Accounts
import Contracts
import Foundation
import Kernel

/// The two parties of an invoice: the business, from its invoicing settings, and the buyer, from
/// the customer card and the tax identity on their account.
enum InvoiceParties {
    static func supplier(_ settings: SectorSettings) throws -> InvoiceDocument.Party {
        let missing = ["invoice_title", "invoice_tax_number", "invoice_tax_office", "invoice_city"].filter { settings.text($0) == nil }
        guard missing.isEmpty, let taxNumber = settings.text("invoice_tax_number"),
              taxNumber.count == 10 ? TaxNumber.isVKN(taxNumber) : TaxNumber.isTCKN(taxNumber) else {
            throw DomainError(.conflict, missing.isEmpty ? "The business's tax number (invoice_tax_number) has a wrong check digit."
                              : "Set the business's legal details before issuing invoices: " + missing.joined(separator: ", ") + ".")
        }
        return InvoiceDocument.Party(taxNumber: taxNumber, name: settings.text("invoice_title") ?? "", firstName: nil, familyName: nil,
                                     taxOffice: settings.text("invoice_tax_office"), street: settings.text("invoice_street"),
                                     district: settings.text("invoice_district"), city: settings.text("invoice_city") ?? "",
                                     postalCode: settings.text("invoice_postal_code"), mersis: settings.text("invoice_mersis"), email: nil, phone: nil)
    }

    /// A buyer without a tax identity is a person on e-Arşiv with GİB's anonymous number.
    static func buyer(_ customer: Customer, tax: TaxIdentity?) -> InvoiceDocument.Party {
        let number = tax?.taxNumber ?? TaxNumber.anonymous
        let name = tax?.legalName ?? customer.name
        let words = customer.name.split(separator: " ").map(String.init)
        let first = words.count > 1 ? words.dropLast().joined(separator: " ") : customer.name
        let family = words.last ?? customer.name
        let address = customer.address
        return InvoiceDocument.Party(taxNumber: number, name: name, firstName: number.count == 11 ? first : nil,
                                     familyName: number.count == 11 ? family : nil, taxOffice: tax?.taxOffice,
                                     street: [address.neighbourhood, address.line].compactMap { $0 }.joined(separator: " ").nonEmpty,
                                     district: address.district, city: address.city ?? "Türkiye", postalCode: address.postalCode,
                                     mersis: nil, email: customer.email, phone: customer.phones.first?.number)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
