import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Invoicing
import Kernel
import NIOCore
import NIOFoundationCompat

/// Invoices: issue one for an order or a month's for a corporate customer, read them, download
/// the UBL-TR documents one by one or a month's as a zip, print the human-readable page.
struct InvoicesController {
    let invoicing: InvoicingModule
    let settings: APISettings

    struct MonthRequest: Decodable {
        let month: String?
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.post("orders/:id/invoice") { _, context in
            let invoice = try await invoicing.invoices.issue(orderID: try context.id(of: "The order"), by: context.principal)
            return try JSONBody.response(invoice, status: .created, headers: [.location: "/api/v1/invoices/\(invoice.id.uuidString.lowercased())"])
        }
        api.post("customers/:id/invoices") { request, context in
            let input = try await JSONBody.decode(MonthRequest.self, from: request, limit: settings.maximumBodyBytes)
            guard let month = input.month else { throw DomainError.invalid("month", .missingField, "month is required, e.g. 2026-11.") }
            let invoice = try await invoicing.invoices.issueMonthly(customerID: try context.id(of: "The customer"), month: month, by: context.principal)
            return try JSONBody.response(invoice, status: .created, headers: [.location: "/api/v1/invoices/\(invoice.id.uuidString.lowercased())"])
        }
        api.get("invoices") { request, context in
            guard let month = request.queryGiven("month") else { throw APIError.invalidParameter("month", "month is required, e.g. 2026-11.") }
            return try JSONBody.response(Items(try await invoicing.invoices.list(month: month, customerID: try request.queryUUID("customerId"),
                                                                                 by: context.principal)))
        }
        api.get("invoices/:id") { _, context in
            try JSONBody.response(try await invoicing.invoices.get(try context.id(of: "The invoice"), by: context.principal))
        }
        api.get("invoices/:id/xml") { _, context in
            let (number, xml) = try await invoicing.invoices.xml(try context.id(of: "The invoice"), by: context.principal)
            guard let xml else { throw DomainError(.conflict, "Invoice \(number) is still being exported; try again in a moment.") }
            return Self.file(Data(xml.utf8), type: "application/xml; charset=utf-8", name: number + ".xml")
        }
        api.get("invoices/:id/html") { _, context in
            let (_, html) = try await invoicing.invoices.html(try context.id(of: "The invoice"), by: context.principal)
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        api.get("invoice-archives/:month") { _, context in
            guard let month = context.parameters.get("month") else { throw DomainError.notFound("month") }
            let archive = try await invoicing.invoices.archive(month: month, by: context.principal)
            var response = Self.file(archive.zip, type: "application/zip", name: "faturalar-\(month).zip")
            response.headers[HTTPField.Name("X-Invoices-Pending")!] = String(archive.pending)
            return response
        }
    }

    static func file(_ data: Data, type: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
