import Contracts
import Foundation
import Hummingbird
import Kernel
import Notify

/// The customer card (F1): details, orders with their stages, and a quick edit.
struct CustomerScreen {
    let desk: FrontDesk

    struct View {
        struct Phone {
            let dial: String
            let shown: String
        }

        let t: [String: String]
        let csrf: String
        let id: String
        let code: String
        let name: String
        let version: Int
        let phones: [Phone]
        let email: String?
        let customerType: String
        let channel: String
        let address: String?
        let notes: String?
        let orders: [HomeScreen.OrderRow]
        let messages: [Message]
        let consents: [ConsentRow]
        let loyalty: LoyaltyBox.View?
    }

    struct Message {
        let at: String
        let channel: String
        let status: String
        let text: String
        let segments: String?
    }

    struct ConsentRow {
        let channel: String
        let channelName: String
        let purpose: String
        let purposeName: String
        let allowed: Bool
        let since: String
        let grant: Bool
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("customers/:id") { request, context in
            let session = try desk.session(context)
            let customer = try await desk.kernel.customers.get(try Self.id(context), by: session.principal)
            return desk.views.page(customer.name, template: "customer", view: try await view(customer, session: session),
                                   chrome: desk.chrome(session, request: request))
        }
        router.post("customers/:id") { request, context in
            let (form, session) = try await desk.posted(request, context)
            var patch = CustomerPatch()
            patch.name = form["name"].map { .value($0) } ?? .absent
            patch.email = form["email"].map { .value($0) } ?? .null
            patch.notes = form["notes"].map { .value($0) } ?? .null
            let id = try Self.id(context)
            _ = try await desk.kernel.customers.update(id, patch, expectedVersion: try form.integer("version", label: "version"), by: session.principal)
            return Views.redirect("/customers/\(id.uuidString.lowercased())?notice=customerSaved")
        }
        router.post("customers/:id/consent") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let id = try Self.id(context)
            guard let channel = form["channel"].flatMap(MessageChannel.init(rawValue:)), let purpose = form["purpose"].flatMap(MessagePurpose.init(rawValue:)),
                  let granted = form["granted"].map({ $0 == "true" }) else {
                throw DomainError.invalid("channel", .invalidValue, "The form names no channel, purpose and choice.")
            }
            _ = try await desk.notify.consent.record([ConsentChange(channel: channel, purpose: purpose, granted: granted, source: .frontDesk)],
                                                      customerID: id, by: session.principal)
            return Views.redirect("/customers/\(id.uuidString.lowercased())?notice=consentSaved#consents")
        }
    }

    static func id(_ context: WebContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The customer") }
        return id
    }

    func view(_ customer: Customer, session: WebSession) async throws -> View {
        let principal = session.principal
        let workflow = try desk.kernel.registry.require(principal.sector).workflow
        let formats = desk.formats(session)
        let orders = try await desk.kernel.orders.list(.init(customerID: customer.id), page: try PageRequest(limit: 50), by: principal).items
        let rows = try await HomeScreen.rows(orders, desk: desk, session: session, workflow: workflow, formats: formats)
        let types = try await desk.kernel.customerTypes.list(principal)
        let t = session.language.texts
        let messages = try await desk.notify.messages.list(customerID: customer.id, limit: 20, by: principal).map { record in
            Message(at: formats.dateTime(record.createdAt), channel: t["channel.\(record.channel.rawValue)"] ?? record.channel.rawValue,
                    status: t["status.\(record.status.rawValue)"] ?? record.status.rawValue, text: record.text ?? record.reason ?? "",
                    segments: record.segments.map { "\($0) SMS" })
        }
        let consents = try await desk.notify.consent.current(customerID: customer.id, by: principal).map { state in
            ConsentRow(channel: state.channel.rawValue, channelName: t["channel.\(state.channel.rawValue)"] ?? state.channel.rawValue,
                       purpose: state.purpose.rawValue, purposeName: t["purpose.\(state.purpose.rawValue)"] ?? state.purpose.rawValue,
                       allowed: state.allowed, since: state.since.map(formats.dateTime) ?? "—", grant: !state.allowed)
        }
        let address = [customer.address.line, customer.address.neighbourhood, customer.address.district, customer.address.city]
            .compactMap { $0 }.joined(separator: ", ")
        return View(t: session.language.texts, csrf: session.csrfToken, id: customer.id.uuidString.lowercased(), code: customer.code,
                    name: customer.name, version: customer.version,
                    phones: customer.phones.map { View.Phone(dial: $0.number, shown: Formats.phone($0.number)) }, email: customer.email,
                    customerType: types.first { $0.code == customer.customerType }?.name ?? customer.customerType,
                    channel: customer.preferredChannel.rawValue, address: address.nilIfEmpty, notes: customer.notes,
                    orders: rows, messages: messages, consents: consents,
                    loyalty: try await LoyaltyBox(desk: desk).view(customer, session: session))
    }
}
