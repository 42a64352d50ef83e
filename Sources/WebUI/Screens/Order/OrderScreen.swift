import Accounts
import Contracts
import Foundation
import Hummingbird
import Invoicing
import Kernel
import NIOCore

/// An order after intake: its items with their tags and stages, the printable tags (the kernel's
/// labels, HTML for any printer) and the customer's receipt.
struct OrderScreen {
    let desk: FrontDesk

    struct View {
        struct Item {
            let tag: String
            let name: String
            let details: String?
            let measure: String?
            let stage: String
            let total: String
        }

        struct Adjustment {
            let name: String
            let amount: String
        }

        let t: [String: String]
        let lang: String
        let id: String
        let number: String
        let business: String
        let branch: String
        let customerID: String
        let customerName: String
        let customerCode: String
        let stage: String
        let taken: String
        let promised: String
        let notes: String?
        let items: [Item]
        let adjustments: [Adjustment]
        let vat: String
        let total: String
        /// What the customer owes on their account now, when anything.
        let owed: String?
        let payment: AccountScreen.PaymentForm?
        let csrf: String
        let invoiceID: String?
        let canInvoice: Bool
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("orders/:id") { request, context in
            let session = try desk.session(context)
            let view = try await view(try await order(context, session), session: session)
            return desk.views.page("\(session.language.text("page.order")) \(view.number)", template: "order", view: view,
                                   chrome: desk.chrome(session, request: request))
        }
        router.get("orders/:id/receipt") { _, context in
            let session = try desk.session(context)
            return Views.html(desk.views.render(try await view(try await order(context, session), session: session), template: "receipt"))
        }
        router.get("orders/:id/labels") { _, context in
            let session = try desk.session(context)
            let principal = session.principal
            let order = try await order(context, session)
            let renderer = LabelRenderer(order: order, customer: try await desk.kernel.customers.get(order.customerId, by: principal),
                                         tenant: session.tenant,
                                         format: try desk.kernel.registry.require(principal.sector).tagFormat)
            return Views.html(renderer.html)
        }
    }

    private func order(_ context: WebContext, _ session: WebSession) async throws -> Order {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The order") }
        return try await desk.kernel.orders.get(id, by: session.principal)
    }

    func view(_ order: Order, session: WebSession) async throws -> View {
        let principal = session.principal
        let language = session.language.rawValue
        let workflow = try desk.kernel.registry.require(principal.sector).workflow
        let formats = desk.formats(session)
        let customer = try await desk.kernel.customers.get(order.customerId, by: principal)
        let tenant = session.tenant
        let branch = try await desk.kernel.branches.list(principal).first { $0.id == order.branchId }
        let stageName = { (id: String) in workflow.stage(id)?.name.text(for: language) ?? id }
        let balance = try await desk.accounts.ledger.balance(customerID: customer.id, by: principal).balance
        let invoiceID = try await desk.invoicing.invoices.invoiceID(ofOrder: order.id, by: principal)
        return View(
            t: session.language.texts, lang: language, id: order.id.uuidString.lowercased(), number: order.number, business: tenant.name,
            branch: [branch?.name, branch?.phone.map(Formats.phone)].compactMap { $0 }.joined(separator: " · "),
            customerID: customer.id.uuidString.lowercased(), customerName: customer.name, customerCode: customer.code,
            stage: stageName(order.stage), taken: formats.dateTime(order.createdAt), promised: formats.dateTime(order.promisedAt), notes: order.notes,
            items: order.items.map { item in
                let size = item.widthCm.flatMap { w in item.lengthCm.map { "\(w) × \($0) cm · " + Formats.area(widthCm: w, lengthCm: $0) } }
                return View.Item(tag: item.tag, name: item.serviceName,
                                 details: item.attributes.sorted { $0.key < $1.key }.map(\.value).joined(separator: " · ").nilIfEmpty,
                                 measure: [size, item.quantity > 1 ? "× \(item.quantity)" : nil].compactMap { $0 }.joined(separator: " · ").nilIfEmpty,
                                 stage: stageName(item.stage), total: Formats.money(item.total))
            },
            adjustments: order.adjustments.map { .init(name: $0.name.text(for: language), amount: Formats.money($0.amount)) },
            vat: Formats.money(order.totals.vat), total: Formats.money(order.totals.total),
            owed: balance.minorUnits > 0 ? Formats.money(balance) : nil,
            payment: balance.minorUnits > 0 ? AccountScreen.PaymentForm(t: session.language.texts, csrf: session.csrfToken,
                                                                        customerID: customer.id.uuidString.lowercased(),
                                                                        orderID: order.id.uuidString.lowercased(), back: "/orders/\(order.id.uuidString.lowercased())",
                                                                        suggested: Formats.amount(min(balance, order.totals.total))) : nil,
            csrf: session.csrfToken, invoiceID: invoiceID?.uuidString.lowercased(),
            canInvoice: invoiceID == nil && order.stage != Workflow.cancelled && principal.role != .courier)
    }
}
