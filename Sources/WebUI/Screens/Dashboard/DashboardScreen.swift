import Contracts
import Foundation
import Hummingbird
import Kernel

/// The head office's view: per branch, today's orders and revenue, items ready and uncollected;
/// revenue by branch today and by day over the last week, as charts drawn by the server.
struct DashboardScreen {
    let desk: FrontDesk

    struct View {
        struct Branch {
            let name: String
            let orders: Int
            let revenue: String
            let ready: Int
            let uncollected: Int
        }

        let t: [String: String]
        let today: String
        let totalOrders: Int
        let totalRevenue: String
        let totalReady: Int
        let totalUncollected: Int
        let branches: [Branch]
        let branchChart: String
        let weekChart: String
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("dashboard") { request, context in
            let session = try desk.session(context)
            let principal = session.principal
            let formats = desk.formats(session)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = formats.timeZone
            let now = Date()
            let startOfDay = calendar.startOfDay(for: now)
            let tomorrow = calendar.date(byAdding: .day, value: 1, to: startOfDay)!
            let weekStart = calendar.date(byAdding: .day, value: -6, to: startOfDay)!
            let figures = try await desk.kernel.branchFigures.figures(from: startOfDay, to: tomorrow, by: principal)
            let sales = try await desk.kernel.branchFigures.sales(from: weekStart, to: tomorrow, by: principal)
            // Every branch the user oversees is shown, a quiet one with its zeros.
            let byBranch = Dictionary(figures.map { ($0.branchID, $0) }, uniquingKeysWith: { a, _ in a })
            let overseen = try await desk.kernel.branches.list(principal).filter { principal.branchID == nil || $0.id == principal.branchID }
            let named = overseen.map { (name: $0.name, figure: byBranch[$0.id] ?? BranchFigures.Figures(branchID: $0.id)) }.sorted { $0.name < $1.name }
            let branches = named.map { name, figure in
                View.Branch(name: name, orders: figure.orders, revenue: Formats.money(figure.revenue),
                            ready: figure.itemsReady, uncollected: figure.uncollected)
            }
            let t = session.language.texts
            let branchChart = BarChart(title: t["revenueByBranch"] ?? "", bars: named.map { name, figure in
                .init(label: name, value: figure.revenue.minorUnits, shown: Formats.money(figure.revenue))
            })
            var days: [BarChart.Bar] = []
            for offset in 0..<7 {
                let day = calendar.date(byAdding: .day, value: offset, to: weekStart)!
                let next = calendar.date(byAdding: .day, value: 1, to: day)!
                let total = sales.filter { $0.at >= day && $0.at < next }.reduce(Money.zero) { $0 + $1.total }
                days.append(.init(label: String(formats.day(day).prefix(5)), value: total.minorUnits, shown: Formats.money(total)))
            }
            let shown = named.map(\.figure)
            let view = View(t: t, today: formats.day(now), totalOrders: shown.reduce(0) { $0 + $1.orders },
                            totalRevenue: Formats.money(shown.reduce(Money.zero) { $0 + $1.revenue }),
                            totalReady: shown.reduce(0) { $0 + $1.itemsReady }, totalUncollected: shown.reduce(0) { $0 + $1.uncollected },
                            branches: branches, branchChart: branchChart.svg,
                            weekChart: BarChart(title: t["revenueByDay"] ?? "", bars: days).svg)
            var chrome = desk.chrome(session, request: request)
            chrome.wide = true
            return desk.views.page(session.language.text("page.dashboard"), template: "dashboard", view: view, chrome: chrome)
        }
    }
}
