import Contracts
import Foundation
import Hummingbird
import Kernel
import Loyalty

/// Loyalty on the customer card: the usable points, the lot that lapses next, and points redeemed
/// at the counter.
struct LoyaltyBox {
    let desk: FrontDesk

    struct View {
        let t: [String: String]
        let csrf: String
        let customerID: String
        let points: Int
        /// "120 puan 02.12.2027 tarihinde sona erer": the lot soonest to lapse.
        let nextLapse: String?
        let canRedeem: Bool
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.post("customers/:id/loyalty/redemptions") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let id = try CustomerScreen.id(context)
            guard let text = form["points"], let points = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.invalid("points", .invalidValue, "Write the points as a whole number.")
            }
            _ = try await desk.loyalty.points.redeem(RedemptionInput(points: points, reason: form["reason"]), customerID: id, by: session.principal)
            return Views.redirect("/customers/\(id.uuidString.lowercased())?notice=pointsRedeemed#loyalty")
        }
    }

    /// The box for `customer`, or nil when the tenant runs no programme and the customer has no points.
    func view(_ customer: Customer, session: WebSession) async throws -> View? {
        let account = try await desk.loyalty.points.account(customerID: customer.id, by: session.principal)
        let rate = try await desk.kernel.settingsService.values(owner: LoyaltySettings.owner, tenantID: session.principal.tenantID)
            .integer("loyalty_points_per_lira")
        guard rate > 0 || account.points > 0 else { return nil }
        let t = session.language.texts
        let formats = desk.formats(session)
        let next = account.lots.first.map { lot in
            (t["pointsLapse"] ?? "%1 / %2").replacingOccurrences(of: "%1", with: String(lot.remaining))
                .replacingOccurrences(of: "%2", with: String(formats.dateTime(lot.expiresAt).prefix(10)))
        }
        return View(t: t, csrf: session.csrfToken, customerID: customer.id.uuidString.lowercased(), points: account.points, nextLapse: next,
                    canRedeem: session.principal.role.allows(.writeOrders) && account.points > 0)
    }
}
