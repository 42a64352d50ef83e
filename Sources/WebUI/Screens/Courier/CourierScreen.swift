import Accounts
import Contracts
import Foundation
import Hummingbird
import Kernel

/// A courier's day on a phone: the open orders of their runs (the kernel shows a courier only
/// their own), each with the customer's phone, the address as a map link, and one button per
/// field-work stage the items may move to (picked up, out for delivery, delivered).
struct CourierScreen {
    let desk: FrontDesk

    struct View {
        struct Run {
            struct Item {
                let tag: String
                let name: String
                let stage: String
            }

            struct Move {
                let stageID: String
                let name: String
            }

            struct Phone {
                let dial: String
                let shown: String
            }

            let id: String
            let number: String
            let customerName: String
            let phone: Phone?
            let address: String?
            let mapURL: String?
            let promised: String
            let stageID: String
            let stage: String
            let items: [Item]
            let moves: [Move]
            /// What to collect at the door (a cash customer's balance) and the form that records it.
            let payment: AccountScreen.PaymentForm?
        }

        let t: [String: String]
        let csrf: String
        let moved: String?
        let refusal: String?
        let runs: [Run]
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("courier") { request, context in
            let session = try desk.session(context)
            return try await page(session, request: request, moved: nil, refusal: nil)
        }
        router.post("courier/move") { request, context in
            let (form, session) = try await desk.posted(request, context)
            guard let id = form["order"].flatMap(UUID.init(uuidString:)), let stage = form["stage"] else {
                throw DomainError.invalid("order", .missingField, "The form names no order and stage.")
            }
            let workflow = try desk.kernel.registry.require(session.principal.sector).workflow
            let order = try await desk.kernel.orders.get(id, by: session.principal)
            // Every item of the order that may take this step takes it; the others are left as they are.
            var moved = 0
            var refusal: String?
            for item in order.items where workflow.next(from: item.stage).contains(stage) {
                do {
                    _ = try await desk.kernel.tracking.scan(item.tag, to: stage, note: nil, by: session.principal)
                    moved += 1
                } catch let error as DomainError where error.code == .paymentRequired {
                    refusal = session.language.text("paymentBeforeDelivery")
                        + (error.context["amountDue"]?.first.flatMap { Int($0) }.map { " " + Formats.money(Money(minorUnits: $0)) } ?? "")
                } catch let error as DomainError where error.code == .transitionNotAllowed || error.code == .forbidden {
                    refusal = error.message
                }
            }
            let name = workflow.stage(stage)?.name.text(for: session.language.rawValue) ?? stage
            return try await page(session, request: request, moved: moved > 0 ? "\(order.number) → \(name)" : nil,
                                  refusal: refusal ?? (moved == 0 ? session.language.text("nothingToMove") : nil))
        }
    }

    private func page(_ session: WebSession, request: Request, moved: String?, refusal: String?) async throws -> Response {
        let view = View(t: session.language.texts, csrf: session.csrfToken, moved: moved, refusal: refusal, runs: try await runs(session))
        return desk.views.page(session.language.text("page.courier"), template: "courier", view: view,
                               chrome: desk.chrome(session, request: request))
    }

    func runs(_ session: WebSession) async throws -> [View.Run] {
        let principal = session.principal
        let language = session.language.rawValue
        let workflow = try desk.kernel.registry.require(principal.sector).workflow
        let formats = desk.formats(session)
        let name = { (id: String) in workflow.stage(id)?.name.text(for: language) ?? id }
        let closed: Set<String> = [workflow.deliveredStage, Workflow.cancelled, Workflow.returned]
        let orders = try await desk.kernel.orders.list(.init(), page: try PageRequest(limit: PageRequest.maximumLimit), by: principal).items
            .filter { !closed.contains($0.stage) && (principal.role != .courier || $0.courierId == principal.userID) }
            .sorted { $0.promisedAt < $1.promisedAt }
        var runs: [View.Run] = []
        for order in orders {
            let customer = try await desk.kernel.customers.get(order.customerId, by: principal)
            let address = order.deliveryAddress ?? order.pickupAddress ?? customer.address
            let written = [address.line, address.neighbourhood, address.district, address.city].compactMap { $0 }.joined(separator: ", ")
            var moves: [String] = []
            for item in order.items where !closed.contains(item.stage) {
                for next in workflow.next(from: item.stage) where workflow.stage(next)?.fieldWork == true && !moves.contains(next) {
                    moves.append(next)
                }
            }
            moves.sort { workflow.rank(of: $0) < workflow.rank(of: $1) }
            let payment = try await AccountScreen.paymentForm(desk: desk, customerID: order.customerId, orderID: order.id, back: "/courier",
                                                              session: session)
            runs.append(View.Run(
                id: order.id.uuidString.lowercased(), number: order.number, customerName: customer.name,
                phone: customer.phones.first.map { .init(dial: $0.number, shown: Formats.phone($0.number)) },
                address: written.nilIfEmpty,
                mapURL: written.nilIfEmpty.map { "https://www.google.com/maps/search/?api=1&query=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") },
                promised: formats.dateTime(order.promisedAt), stageID: order.stage, stage: name(order.stage),
                items: order.items.filter { $0.stage != Workflow.cancelled }.map { .init(tag: $0.tag, name: $0.serviceName, stage: name($0.stage)) },
                moves: moves.map { .init(stageID: $0, name: name($0)) },
                payment: payment))
        }
        return runs
    }
}
