import Contracts
import Foundation
import Mustache

/// The human-readable rendition of an invoice: a printable page with the same parties, lines,
/// taxes and totals as its UBL-TR document, amounts in Turkish notation.
enum InvoicePage {
    static let template = try! MustacheTemplate(string: String(decoding: PackageResources.invoice_mustache, as: UTF8.self))

    static func html(_ document: InvoiceDocument) -> String {
        template.render(view(document))
    }

    static func view(_ d: InvoiceDocument) -> [String: Any] {
        func money(_ kurus: Int) -> String { Money(minorUnits: kurus).turkish }
        func party(_ p: InvoiceDocument.Party) -> [String: Any] {
            var view: [String: Any] = ["name": p.name, "taxNumber": p.taxNumber, "scheme": p.scheme,
                                       "address": [p.street, p.district, p.city, p.postalCode].compactMap { $0 }.joined(separator: ", ")]
            if let office = p.taxOffice { view["taxOffice"] = office }
            if let mersis = p.mersis { view["mersis"] = mersis }
            return view
        }
        let lines: [[String: Any]] = d.lines.enumerated().map { index, line in
            var view: [String: Any] = ["position": index + 1, "name": line.name, "quantity": line.quantity.replacingOccurrences(of: ".", with: ","),
                                       "unit": unitName(line.unitCode), "price": line.price.replacingOccurrences(of: ".", with: ","),
                                       "rate": InvoiceBuilder.percent(line.vatBasisPoints), "vat": money(line.vat), "net": money(line.net)]
            if let note = line.note { view["note"] = note }
            if let code = line.exemptionCode { view["exemption"] = "İstisna \(code): \(line.exemptionReason ?? "")" }
            return view
        }
        var totals: [String: Any] = ["lineExtension": money(d.totals.lineExtension), "taxInclusive": money(d.totals.taxInclusive),
                                     "payable": money(d.totals.payable)]
        if d.totals.rounding != 0 { totals["rounding"] = money(d.totals.rounding) }
        var view: [String: Any] = [
            "kind": d.profile == .archive ? "e-Arşiv Fatura" : "e-Fatura", "number": d.number, "uuid": d.uuid.uuidString.lowercased(),
            "issueDate": d.issueDate, "issueTime": d.issueTime, "profile": d.profile.rawValue,
            "supplier": party(d.supplier), "buyer": party(d.buyer), "lines": lines,
            "taxes": d.taxes.map { ["rate": InvoiceBuilder.percent($0.vatBasisPoints), "taxable": money($0.taxable), "vat": money($0.vat)] },
            "totals": totals, "orders": d.orderNumbers.joined(separator: ", "),
        ]
        if let period = d.period { view["period"] = period }
        return view
    }

    static func unitName(_ code: String) -> String {
        switch code {
        case "MTK": "m²"
        case "PR": "çift"
        case "HUR": "saat"
        default: "adet"
        }
    }
}
