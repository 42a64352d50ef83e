import Contracts
import Foundation
import Hummingbird
import Kernel

/// The status board: items per open stage of the branch, and one stage's items, oldest first.
struct BoardScreen {
    let desk: FrontDesk

    struct View {
        struct Stage {
            let id: String
            let name: String
            let count: Int
            let selected: Bool
        }

        struct Item {
            let tag: String
            let service: String
            let orderID: String
            let orderNumber: String
            let customerName: String
            let since: String
            let old: Bool
        }

        let t: [String: String]
        let stages: [Stage]
        let stageName: String
        let items: [Item]
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("board") { request, context in
            let session = try desk.session(context)
            let principal = session.principal
            let language = session.language.rawValue
            let workflow = try desk.kernel.registry.require(principal.sector).workflow
            let open = workflow.stages.filter { $0.id != workflow.deliveredStage }
            let asked = request.uri.queryParameters["stage"].map(String.init)
            guard asked == nil || open.contains(where: { $0.id == asked }) else {
                throw DomainError.invalid("stage", .invalidParameter, "stage must be one of \(open.map(\.id).joined(separator: ", ")).")
            }
            let counts = try await desk.kernel.board.counts(by: principal)
            // Without a choice, the first stage that holds items (or the first stage).
            let stage = asked ?? open.first { (counts[$0.id] ?? 0) > 0 }?.id ?? open[0].id
            let formats = desk.formats(session)
            let now = Date()
            let items = try await desk.kernel.board.items(at: stage, by: principal).map { entry in
                View.Item(tag: entry.tag, service: entry.serviceName, orderID: entry.orderID.uuidString.lowercased(), orderNumber: entry.orderNumber,
                          customerName: entry.customerName, since: formats.dateTime(entry.stageSince),
                          old: now.timeIntervalSince(entry.stageSince) > Double(workflow.turnaroundHours) * 3_600)
            }
            let view = View(t: session.language.texts,
                            stages: open.map { .init(id: $0.id, name: $0.name.text(for: language), count: counts[$0.id] ?? 0, selected: $0.id == stage) },
                            stageName: workflow.stage(stage)?.name.text(for: language) ?? stage, items: items)
            var chrome = desk.chrome(session, request: request)
            chrome.wide = true
            return desk.views.page(session.language.text("page.board"), template: "board", view: view, chrome: chrome)
        }
    }
}
