import Accounts
import Contracts
import Foundation
import Hummingbird
import Kernel

/// The head office's collection lists: who owes past due (by collection priority, with aging)
/// and which orders wait on the shelf (with their days, fees and the at-risk flag).
struct CollectionsScreen {
    let desk: FrontDesk

    struct OverdueView {
        struct Row {
            let id: String
            let code: String
            let name: String
            let overdue: String
            let daysLate: Int
            let aging0: String
            let aging31: String
            let aging61: String
            let aging90: String
        }

        let t: [String: String]
        let rows: [Row]
    }

    struct UncollectedView {
        struct Row {
            let id: String
            let number: String
            let customerID: String
            let readySince: String
            let days: Int
            let fees: String
            let atRisk: Bool
        }

        let t: [String: String]
        let rows: [Row]
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("accounts/overdue") { request, context in
            let session = try desk.session(context)
            let list = try await desk.accounts.overdue.list(by: session.principal)
            let dash = { (amount: Money) in amount == .zero ? "" : Formats.money(amount) }
            let view = OverdueView(t: session.language.texts, rows: list.map { account in
                OverdueView.Row(id: account.customerId.uuidString.lowercased(), code: account.customerCode, name: account.customerName,
                                overdue: Formats.money(account.overdue), daysLate: account.daysLate, aging0: dash(account.aging.days0to30),
                                aging31: dash(account.aging.days31to60), aging61: dash(account.aging.days61to90), aging90: dash(account.aging.over90))
            })
            return desk.views.page(session.language.text("overdue"), template: "overdue", view: view, chrome: desk.chrome(session, request: request))
        }
        router.get("accounts/uncollected") { request, context in
            let session = try desk.session(context)
            let formats = desk.formats(session)
            let list = try await desk.accounts.storage.uncollected(by: session.principal)
            let view = UncollectedView(t: session.language.texts, rows: list.map { order in
                UncollectedView.Row(id: order.orderId.uuidString.lowercased(), number: order.number, customerID: order.customerId.uuidString.lowercased(),
                                    readySince: formats.dateTime(order.readyAt), days: order.daysWaiting,
                                    fees: order.feesPosted == .zero ? "" : Formats.money(order.feesPosted), atRisk: order.atRisk)
            })
            return desk.views.page(session.language.text("uncollected"), template: "uncollected", view: view,
                                   chrome: desk.chrome(session, request: request))
        }
    }
}
