import Foundation
import Kernel

/// Writes an invoice as a UBL-TR 1.2 document (`CustomizationID` TR1.2) in the shape GİB's XSD and
/// schematron accept. The document is unsigned: the e-Fatura special integrator (or the
/// tenant's own signing step) adds the XAdES signature inside `ext:UBLExtensions`, where the
/// placeholder element stands.
enum UBLWriter {
    static let namespaces = """
        xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" \
        xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" \
        xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" \
        xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
        """
    static let currency = "TRY"

    static func xml(_ document: InvoiceDocument) -> String {
        var x = XMLText()
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        x.raw("<Invoice \(namespaces)>\n")
        x.raw("<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>")
        x.raw("<crm:Unsigned xmlns:crm=\"urn:crm:ubl-tr:export\"/>")
        x.raw("</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>\n")
        x.element("cbc:UBLVersionID", "2.1")
        x.element("cbc:CustomizationID", "TR1.2")
        x.element("cbc:ProfileID", document.profile.rawValue)
        x.element("cbc:ID", document.number)
        x.element("cbc:CopyIndicator", "false")
        x.element("cbc:UUID", document.uuid.uuidString.lowercased())
        x.element("cbc:IssueDate", document.issueDate)
        x.element("cbc:IssueTime", document.issueTime)
        x.element("cbc:InvoiceTypeCode", "SATIS")
        x.element("cbc:Note", "Siparişler: " + document.orderNumbers.joined(separator: ", "))
        if let period = document.period { x.element("cbc:Note", "Dönem: \(period)") }
        x.element("cbc:DocumentCurrencyCode", currency)
        x.element("cbc:LineCountNumeric", String(document.lines.count))
        signature(document.supplier, into: &x)
        x.raw("<cac:AccountingSupplierParty>")
        party(document.supplier, into: &x)
        x.raw("</cac:AccountingSupplierParty>\n<cac:AccountingCustomerParty>")
        party(document.buyer, into: &x)
        x.raw("</cac:AccountingCustomerParty>\n")
        taxTotal(document.taxes.map { ($0.taxable, $0.vat, $0.vatBasisPoints, $0.exemptionCode, $0.exemptionReason) },
                 total: document.totals.vat, into: &x)
        x.raw("<cac:LegalMonetaryTotal>")
        x.amount("cbc:LineExtensionAmount", document.totals.lineExtension)
        x.amount("cbc:TaxExclusiveAmount", document.totals.lineExtension)
        x.amount("cbc:TaxInclusiveAmount", document.totals.taxInclusive)
        if document.totals.rounding != 0 { x.amount("cbc:PayableRoundingAmount", document.totals.rounding) }
        x.amount("cbc:PayableAmount", document.totals.payable)
        x.raw("</cac:LegalMonetaryTotal>\n")
        for (index, line) in document.lines.enumerated() {
            x.raw("<cac:InvoiceLine>")
            x.element("cbc:ID", String(index + 1))
            if let note = line.note { x.element("cbc:Note", note) }
            x.raw("<cbc:InvoicedQuantity unitCode=\"\(line.unitCode)\">\(line.quantity)</cbc:InvoicedQuantity>")
            x.amount("cbc:LineExtensionAmount", line.net)
            taxTotal([(line.net, line.vat, line.vatBasisPoints, line.exemptionCode, line.exemptionReason)], total: line.vat, into: &x)
            x.raw("<cac:Item>")
            x.element("cbc:Name", line.name)
            x.raw("</cac:Item><cac:Price><cbc:PriceAmount currencyID=\"\(currency)\">\(line.price)</cbc:PriceAmount></cac:Price>")
            x.raw("</cac:InvoiceLine>\n")
        }
        x.raw("</Invoice>\n")
        return x.text
    }

    /// The signatory: the supplier (GİB's rules ask for it even before the signature is added).
    static func signature(_ supplier: InvoiceDocument.Party, into x: inout XMLText) {
        x.raw("<cac:Signature><cbc:ID schemeID=\"VKN_TCKN\">")
        x.escaped(supplier.taxNumber)
        x.raw("</cbc:ID><cac:SignatoryParty><cac:PartyIdentification><cbc:ID schemeID=\"\(supplier.scheme)\">")
        x.escaped(supplier.taxNumber)
        x.raw("</cbc:ID></cac:PartyIdentification>")
        address(supplier, into: &x)
        x.raw("</cac:SignatoryParty><cac:DigitalSignatureAttachment><cac:ExternalReference><cbc:URI>#Signature</cbc:URI>")
        x.raw("</cac:ExternalReference></cac:DigitalSignatureAttachment></cac:Signature>\n")
    }

    static func party(_ party: InvoiceDocument.Party, into x: inout XMLText) {
        x.raw("<cac:Party>")
        x.raw("<cac:PartyIdentification><cbc:ID schemeID=\"\(party.scheme)\">")
        x.escaped(party.taxNumber)
        x.raw("</cbc:ID></cac:PartyIdentification>")
        if let mersis = party.mersis {
            x.raw("<cac:PartyIdentification><cbc:ID schemeID=\"MERSISNO\">")
            x.escaped(mersis)
            x.raw("</cbc:ID></cac:PartyIdentification>")
        }
        if party.scheme == "VKN" {
            x.raw("<cac:PartyName>")
            x.element("cbc:Name", party.name)
            x.raw("</cac:PartyName>")
        }
        address(party, into: &x)
        if let office = party.taxOffice {
            x.raw("<cac:PartyTaxScheme><cac:TaxScheme>")
            x.element("cbc:Name", office)
            x.raw("</cac:TaxScheme></cac:PartyTaxScheme>")
        }
        if party.email != nil || party.phone != nil {
            x.raw("<cac:Contact>")
            if let phone = party.phone { x.element("cbc:Telephone", phone) }
            if let email = party.email { x.element("cbc:ElectronicMail", email) }
            x.raw("</cac:Contact>")
        }
        if party.scheme == "TCKN" {
            x.raw("<cac:Person>")
            x.element("cbc:FirstName", party.firstName ?? party.name)
            x.element("cbc:FamilyName", party.familyName ?? party.name)
            x.raw("</cac:Person>")
        }
        x.raw("</cac:Party>")
    }

    static func address(_ party: InvoiceDocument.Party, into x: inout XMLText) {
        x.raw("<cac:PostalAddress>")
        if let street = party.street { x.element("cbc:StreetName", street) }
        x.element("cbc:CitySubdivisionName", party.district ?? party.city)
        x.element("cbc:CityName", party.city)
        if let postal = party.postalCode { x.element("cbc:PostalZone", postal) }
        x.raw("<cac:Country><cbc:Name>Türkiye</cbc:Name></cac:Country></cac:PostalAddress>")
    }

    typealias Subtotal = (taxable: Int, vat: Int, basisPoints: Int, exemptionCode: String?, exemptionReason: String?)

    static func taxTotal(_ subtotals: [Subtotal], total: Int, into x: inout XMLText) {
        x.raw("<cac:TaxTotal>")
        x.amount("cbc:TaxAmount", total)
        for subtotal in subtotals {
            x.raw("<cac:TaxSubtotal>")
            x.amount("cbc:TaxableAmount", subtotal.taxable)
            x.amount("cbc:TaxAmount", subtotal.vat)
            x.element("cbc:Percent", InvoiceBuilder.percent(subtotal.basisPoints))
            x.raw("<cac:TaxCategory>")
            if let code = subtotal.exemptionCode { x.element("cbc:TaxExemptionReasonCode", code) }
            if let reason = subtotal.exemptionReason { x.element("cbc:TaxExemptionReason", reason) }
            x.raw("<cac:TaxScheme><cbc:Name>KDV</cbc:Name><cbc:TaxTypeCode>0015</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory>")
            x.raw("</cac:TaxSubtotal>")
        }
        x.raw("</cac:TaxTotal>\n")
    }
}

/// XML built as text, every value escaped.
struct XMLText {
    private(set) var text = ""

    mutating func raw(_ markup: String) { text += markup }

    mutating func escaped(_ value: String) { text += MarkupText.escaped(value) }

    mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>"
        escaped(value)
        text += "</\(name)>"
    }

    mutating func amount(_ name: String, _ kurus: Int) {
        text += "<\(name) currencyID=\"\(UBLWriter.currency)\">\(InvoiceBuilder.amount(kurus))</\(name)>"
    }
}
