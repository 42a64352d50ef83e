import Contracts
import Foundation
import Hummingbird
import Invoicing
import Kernel
import NIOCore

/// Invoices at the front desk: issue one for an order, print it, download its UBL-TR document.
struct InvoiceScreen {
    let desk: FrontDesk

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.post("orders/:id/invoice") { request, context in
            let (_, session) = try await desk.posted(request, context)
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The order") }
            let invoice = try await desk.invoicing.invoices.issue(orderID: id, by: session.principal)
            return Views.redirect("/invoices/\(invoice.id.uuidString.lowercased())")
        }
        router.get("invoices/:id") { _, context in
            let session = try desk.session(context)
            return Views.html(try await desk.invoicing.invoices.html(try Self.id(context), by: session.principal).html)
        }
        router.get("invoices/:id/xml") { _, context in
            let session = try desk.session(context)
            let (number, xml) = try await desk.invoicing.invoices.xml(try Self.id(context), by: session.principal)
            guard let xml else { throw DomainError(.conflict, "Invoice \(number) is still being exported; try again in a moment.") }
            return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"\(number).xml\""],
                            body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
    }

    static func id(_ context: WebContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The invoice") }
        return id
    }
}
