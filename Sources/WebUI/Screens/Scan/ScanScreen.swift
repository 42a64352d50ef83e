import Accounts
import Contracts
import Foundation
import Hummingbird
import Kernel

/// One field for the scanner: a tag shows its item, and one tap moves it to the next stage the
/// workflow allows. A move the workflow refuses is shown with its reason and the allowed stages.
struct ScanScreen {
    let desk: FrontDesk

    struct View {
        struct Item {
            struct Move {
                let id: String
                let name: String
                let first: Bool
            }

            struct Event {
                let at: String
                let stage: String
                let reason: String?
            }

            let tag: String
            let service: String
            let stageID: String
            let stage: String
            let since: String
            let orderID: String
            let orderNumber: String
            let customerID: String
            let customerName: String
            let branch: String
            let moves: [Move]
            let history: [Event]
        }

        let t: [String: String]
        let csrf: String
        let typed: String
        let moved: String?
        let refusal: String?
        let item: Item?
        /// The payment to take before the item may be handed over (pay-before-delivery).
        var payment: AccountScreen.PaymentForm?
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("scan") { request, context in
            let session = try desk.session(context)
            let typed = request.uri.queryParameters["tag"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !typed.isEmpty else { return try await page(session, request: request, typed: "", trace: nil, moved: nil, refusal: nil) }
            do {
                let trace = try await desk.kernel.tracking.trace(String(typed.prefix(40)), by: session.principal)
                return try await page(session, request: request, typed: "", trace: trace, moved: nil, refusal: nil)
            } catch let error as DomainError where [.unknownTag, .invalidTag, .notFound].contains(error.code) {
                return try await page(session, request: request, typed: typed, trace: nil, moved: nil,
                                      refusal: session.language.text("unknownTag"), status: WebErrorMiddleware.status(of: error.code))
            }
        }
        router.post("scan/move") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let tag = form["tag"] ?? ""
            let workflow = try desk.kernel.registry.require(session.principal.sector).workflow
            let name = { (id: String) in workflow.stage(id)?.name.text(for: session.language.rawValue) ?? id }
            do {
                let trace = try await desk.kernel.tracking.scan(tag, to: form["stage"], note: form["note"], by: session.principal)
                return try await page(session, request: request, typed: "", trace: trace, moved: "\(trace.item.tag) → \(name(trace.item.stage))", refusal: nil)
            } catch let error as DomainError where error.code == .paymentRequired {
                // Handing over waits for the payment: the form takes it and comes back to this item.
                let trace = try? await desk.kernel.tracking.trace(tag, by: session.principal)
                var payment: AccountScreen.PaymentForm?
                if let trace {
                    payment = try await AccountScreen.paymentForm(desk: desk, customerID: trace.order.customerId, orderID: trace.order.id,
                                                                  back: "/scan?tag=" + (trace.item.tag.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                                                  session: session)
                }
                let refusal = payment?.due.map { session.language.text("paymentBeforeDelivery") + " " + $0 } ?? error.message
                return try await page(session, request: request, typed: "", trace: trace, moved: nil, refusal: refusal, payment: payment,
                                      status: WebErrorMiddleware.status(of: error.code))
            } catch let error as DomainError where [.transitionNotAllowed, .forbidden, .invalidValue, .validationFailed].contains(error.code) {
                let trace = try? await desk.kernel.tracking.trace(tag, by: session.principal)
                let allowed = (error.context["allowedStages"] ?? []).map(name)
                let refusal: String
                if error.code == .transitionNotAllowed, let trace, session.language == .tr {
                    refusal = "\(trace.item.tag) şu an “\(name(trace.item.stage))”; “\(name(form["stage"] ?? ""))” adımına geçemez."
                        + (allowed.isEmpty ? " Bu üründe sonraki adım yok." : " Geçebileceği adımlar: \(allowed.joined(separator: ", ")).")
                } else {
                    refusal = error.message
                }
                return try await page(session, request: request, typed: "", trace: trace, moved: nil, refusal: refusal,
                                      status: WebErrorMiddleware.status(of: error.code))
            }
        }
    }

    private func page(_ session: WebSession, request: Request, typed: String, trace: ItemTrace?, moved: String?, refusal: String?,
                      payment: AccountScreen.PaymentForm? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        var shown: View.Item?
        if let trace { shown = try await item(trace, session: session) }
        let view = View(t: session.language.texts, csrf: session.csrfToken, typed: typed, moved: moved, refusal: refusal, item: shown,
                        payment: payment)
        return desk.views.page(session.language.text("page.scan"), template: "scan", view: view, chrome: desk.chrome(session), status: status)
    }

    private func item(_ trace: ItemTrace, session: WebSession) async throws -> View.Item {
        let language = session.language.rawValue
        let workflow = try desk.kernel.registry.require(session.principal.sector).workflow
        let formats = desk.formats(session)
        let name = { (id: String) in workflow.stage(id)?.name.text(for: language) ?? id }
        // Forward moves first, nearest first (the one-tap move); moves back (to re-work) after them.
        let current = workflow.rank(of: trace.item.stage)
        let moves = trace.allowedStages.sorted { a, b in
            let (rankA, rankB) = (workflow.rank(of: a), workflow.rank(of: b))
            if (rankA > current) != (rankB > current) { return rankA > current }
            return rankA < rankB
        }
        return View.Item(
            tag: trace.item.tag, service: trace.item.serviceName, stageID: trace.item.stage, stage: name(trace.item.stage),
            since: formats.dateTime(trace.item.stageSince), orderID: trace.order.id.uuidString.lowercased(), orderNumber: trace.order.number,
            customerID: trace.order.customerId.uuidString.lowercased(), customerName: trace.order.customerName, branch: trace.branchName,
            moves: moves.enumerated().map { .init(id: $1, name: name($1), first: $0 == 0) },
            history: trace.history.reversed().map { .init(at: formats.dateTime($0.at), stage: name($0.toStage), reason: $0.reason) })
    }
}
