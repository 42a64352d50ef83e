import Accounts
import Contracts
import Foundation
import Hummingbird
import Invoicing
import Kernel
import NIOCore
import NIOFoundationCompat

/// Invoices at the front desk: issue one for an order or a corporate customer's month, print it,
/// download its UBL-TR document; the month's list and its zip for the books, and the month's
/// statements mailed to the account customers.
struct InvoiceScreen {
    let desk: FrontDesk

    struct ListView {
        struct Row {
            let id: String
            let number: String
            let date: String
            let buyer: String
            let customerID: String
            let kind: String
            let total: String
            let exported: Bool
        }

        let t: [String: String]
        let csrf: String
        let month: String
        let rows: [Row]
        let total: String
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("invoices") { request, context in
            let session = try desk.session(context)
            let local = LocalCalendar(zone: session.tenant.timeZone)
            let asked = request.uri.queryParameters["month"].map(String.init)
            let month = asked.flatMap { local.month($0) == nil ? nil : $0 } ?? local.isoMonth(Date())
            let invoices = try await desk.invoicing.invoices.list(month: month, customerID: nil, by: session.principal)
            let t = session.language.texts
            var total = Money.zero
            let rows = invoices.map { invoice in
                total += Money(minorUnits: invoice.payable)
                return ListView.Row(id: invoice.id.uuidString.lowercased(), number: invoice.number, date: Self.day(invoice.issueDate),
                                    buyer: invoice.document.buyer.name, customerID: invoice.customerId.uuidString.lowercased(),
                                    kind: t["invoiceKind.\(invoice.kind.rawValue)"] ?? invoice.kind.rawValue,
                                    total: Formats.money(Money(minorUnits: invoice.payable)), exported: invoice.status == .exported)
            }
            let view = ListView(t: t, csrf: session.csrfToken, month: month, rows: rows, total: Formats.money(total))
            return desk.views.page(session.language.text("invoices"), template: "invoices", view: view, chrome: desk.chrome(session, request: request))
        }
        router.get("invoice-archives/:month") { _, context in
            let session = try desk.session(context)
            guard let month = context.parameters.get("month") else { throw DomainError.notFound("The month") }
            let archive = try await desk.invoicing.invoices.archive(month: month, by: session.principal)
            return Self.file(archive.zip, type: "application/zip", name: "faturalar-\(month).zip")
        }
        router.post("orders/:id/invoice") { request, context in
            let (_, session) = try await desk.posted(request, context)
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The order") }
            let invoice = try await desk.invoicing.invoices.issue(orderID: id, by: session.principal)
            return Views.redirect("/invoices/\(invoice.id.uuidString.lowercased())")
        }
        router.post("customers/:id/invoices") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let invoice = try await desk.invoicing.invoices.issueMonthly(customerID: try CustomerScreen.id(context), month: form["month"] ?? "",
                                                                         by: session.principal)
            return Views.redirect("/invoices/\(invoice.id.uuidString.lowercased())")
        }
        router.post("accounts/statement-mailings") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let mailing = try await desk.accounts.statements.mail(StatementMailingRequest(month: form["month"]), by: session.principal)
            return Views.redirect("/invoices?month=\(mailing.month)&notice=statementsQueued")
        }
        router.get("invoices/:id") { _, context in
            let session = try desk.session(context)
            return Views.html(try await desk.invoicing.invoices.html(try Self.id(context), by: session.principal).html)
        }
        router.get("invoices/:id/xml") { _, context in
            let session = try desk.session(context)
            let (number, xml) = try await desk.invoicing.invoices.xml(try Self.id(context), by: session.principal)
            guard let xml else { throw DomainError(.conflict, "Invoice \(number) is still being exported; try again in a moment.") }
            return Self.file(Data(xml.utf8), type: "application/xml; charset=utf-8", name: number + ".xml")
        }
    }

    static func id(_ context: WebContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The invoice") }
        return id
    }

    /// `2026-12-01` as `01.12.2026`.
    static func day(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : iso
    }

    static func file(_ data: Data, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
