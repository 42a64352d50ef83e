import Contracts
import Foundation
import Hummingbird
import Kernel

/// The front desk's home: find a customer as you type (Turkish-folding search), take a new one,
/// and the branch's day: what is ready for collection, what was taken today.
struct HomeScreen {
    let desk: FrontDesk

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("/") { request, context in
            let session = try desk.session(context)
            if session.principal.role == .courier { return Views.redirect("/courier") }
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            let view = try await home(session, query: query, newCustomer: NewCustomerEntry())
            return desk.views.page(session.language.text("page.home"), template: "home", view: view,
                                   chrome: desk.chrome(session, request: request))
        }
        router.get("customers/search") { request, context in
            let session = try desk.session(context)
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            return desk.views.fragment(try await results(session, query: query), template: "customer-results")
        }
        router.post("customers") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let entry = NewCustomerEntry(name: form["name"] ?? "", phone: form["phone"] ?? "", email: form["email"] ?? "")
            do {
                let draft = CustomerDraft(name: form["name"], phones: form["phone"].map { [PhoneInput(number: $0)] }, email: form["email"])
                let customer = try await desk.kernel.customers.create(draft, by: session.principal)
                return Views.redirect("/orders/new?customer=\(customer.id.uuidString.lowercased())")
            } catch let error as DomainError where error.code.kind == .unprocessable || error.code.kind == .conflict {
                var entry = entry
                entry.error = ([error.message] + error.fields.map(\.message)).joined(separator: " ")
                let view = try await home(session, query: "", newCustomer: entry)
                return desk.views.page(session.language.text("page.home"), template: "home", view: view,
                                       chrome: desk.chrome(session), status: WebErrorMiddleware.status(of: error.code))
            }
        }
    }

    struct NewCustomerEntry {
        var name = ""
        var phone = ""
        var email = ""
        var error: String?
    }

    struct View {
        let t: [String: String]
        let csrf: String
        let query: String
        let results: String
        let ready: [OrderRow]
        let today: [OrderRow]
        let newName: String
        let newPhone: String
        let newEmail: String
        let newCustomerError: String?
    }

    struct OrderRow {
        let id: String
        let number: String
        let customerID: String
        let customerName: String
        let stage: String
        let promised: String
        let taken: String
        let itemCount: Int
        let total: String
    }

    struct Results {
        struct Row {
            let id: String
            let name: String
            let code: String
            let phone: String
        }

        let t: [String: String]
        let searched: Bool
        let customers: [Row]
    }

    func home(_ session: WebSession, query: String, newCustomer: NewCustomerEntry) async throws -> View {
        let principal = session.principal
        let workflow = try desk.kernel.registry.require(principal.sector).workflow
        let formats = desk.formats(session)
        let ready = try await desk.kernel.orders.list(.init(stage: workflow.readyStage), page: try PageRequest(limit: 50), by: principal).items
        let now = Date()
        let today = try await desk.kernel.orders.list(.init(), page: try PageRequest(limit: 100), by: principal).items
            .filter { formats.isSameDay($0.createdAt, as: now) }
        let rows = try await Self.rows(ready + today, desk: desk, session: session, workflow: workflow, formats: formats)
        let rendered = desk.views.render(try await results(session, query: query), template: "customer-results")
        return View(t: session.language.texts, csrf: session.csrfToken, query: query, results: rendered,
                    ready: Array(rows.prefix(ready.count)), today: Array(rows.dropFirst(ready.count)),
                    newName: newCustomer.name, newPhone: newCustomer.phone, newEmail: newCustomer.email, newCustomerError: newCustomer.error)
    }

    /// Orders as the lists show them, with their customers' names (each customer read once).
    static func rows(_ orders: [Order], desk: FrontDesk, session: WebSession, workflow: Workflow, formats: Formats) async throws -> [OrderRow] {
        var names: [UUID: String] = [:]
        for id in Set(orders.map(\.customerId)) {
            names[id] = (try? await desk.kernel.customers.get(id, by: session.principal))?.name ?? "—"
        }
        let language = session.language.rawValue
        return orders.map { order in
            OrderRow(id: order.id.uuidString.lowercased(), number: order.number, customerID: order.customerId.uuidString.lowercased(),
                     customerName: names[order.customerId] ?? "—", stage: workflow.stage(order.stage)?.name.text(for: language) ?? order.stage,
                     promised: formats.dateTime(order.promisedAt), taken: formats.dateTime(order.createdAt), itemCount: order.items.filter { $0.stage != Workflow.cancelled }.count,
                     total: Formats.money(order.totals.total))
        }
    }

    func results(_ session: WebSession, query: String) async throws -> Results {
        let text = query.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return Results(t: session.language.texts, searched: false, customers: []) }
        let found = try await desk.kernel.customers.list(.init(text: String(text.prefix(100))), page: try PageRequest(limit: 20), by: session.principal)
        return Results(t: session.language.texts, searched: true, customers: found.items.map { customer in
            Results.Row(id: customer.id.uuidString.lowercased(), name: customer.name, code: customer.code,
                        phone: customer.phones.first.map { Formats.phone($0.number) } ?? "")
        })
    }
}
