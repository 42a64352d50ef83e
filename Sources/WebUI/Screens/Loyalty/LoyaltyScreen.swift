import Contracts
import Foundation
import Hummingbird
import Kernel
import Loyalty

/// The loyalty screen for the owner and branch managers: campaigns with their reports and a form
/// for a new one; coupons issued in a batch, and a coupon looked up to redeem at the counter or
/// cancel.
struct LoyaltyScreen {
    let desk: FrontDesk

    struct View {
        struct CampaignRow {
            let id: String
            let name: String
            let status: String
            let active: Bool
            let runs: Int
            let nextRun: String?
            let report: CampaignReport
        }

        struct Option {
            let code: String
            let name: String
        }

        struct FoundCoupon {
            let code: String
            let value: String
            let status: String
            let validUntil: String
            let issued: Bool
        }

        let t: [String: String]
        let csrf: String
        let campaigns: [CampaignRow]
        let types: [Option]
        let issued: [String]
        let coupon: FoundCoupon?
        let couponDay: String
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("loyalty") { request, context in
            let session = try desk.session(context)
            var coupon: Coupon?
            if let code = request.uri.queryParameters["coupon"].map(String.init), !code.isEmpty {
                coupon = try await desk.loyalty.coupons.get(code, by: session.principal)
            }
            return try await page(session, request: request, coupon: coupon)
        }
        router.post("loyalty/campaigns") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let audience = CampaignAudience(customerType: Self.given(form["customerType"]), inactiveDays: try Self.number(form["inactiveDays"], field: "inactiveDays"))
            _ = try await desk.loyalty.campaigns.create(
                CampaignInput(name: form["name"], text: form["text"], channel: form["channel"], audience: audience,
                              repeatDays: try Self.number(form["repeatDays"], field: "repeatDays")), by: session.principal)
            return Views.redirect("/loyalty?notice=campaignSaved")
        }
        router.post("loyalty/campaigns/:id/cancellation") { request, context in
            let (_, session) = try await desk.posted(request, context)
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw DomainError.notFound("The campaign") }
            _ = try await desk.loyalty.campaigns.cancel(id, by: session.principal)
            return Views.redirect("/loyalty?notice=campaignCancelled")
        }
        router.post("loyalty/coupons") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let kind = form["kind"] == "percent" ? "percent" : "amount"
            let value = kind == "percent" ? try Self.number(form["value"], field: "value") : Formats.parseMoney(form["value"] ?? "")?.minorUnits
            guard let value else { throw DomainError.invalid("value", .invalidValue, "Write the coupon's value.") }
            let until = try Self.endOfDay(form["validUntil"], zone: session.tenant.timeZone)
            let batch = try await desk.loyalty.coupons.issue(
                CouponBatchInput(count: try Self.number(form["count"], field: "count"), kind: kind, value: value, validUntil: until), by: session.principal)
            return try await page(session, request: request, issued: batch.coupons.map(\.code))
        }
        router.post("loyalty/coupons/:code/redemption") { request, context in
            let (form, session) = try await desk.posted(request, context)
            guard let basket = Formats.parseMoney(form["basket"] ?? "") else { throw DomainError.invalid("basket", .invalidValue, "Write the basket's amount.") }
            let coupon = try await desk.loyalty.coupons.redeem(Self.code(context), CouponRedemptionInput(basket: basket),
                                                               by: session.principal)
            return Views.redirect("/loyalty?coupon=\(coupon.code)&notice=couponRedeemed")
        }
        router.post("loyalty/coupons/:code/cancellation") { request, context in
            let (_, session) = try await desk.posted(request, context)
            let coupon = try await desk.loyalty.coupons.cancel(Self.code(context), by: session.principal)
            return Views.redirect("/loyalty?coupon=\(coupon.code)&notice=couponCancelled")
        }
    }

    private func page(_ session: WebSession, request: Request, issued: [String] = [], coupon: Coupon? = nil) async throws -> Response {
        let principal = session.principal
        let t = session.language.texts
        let formats = desk.formats(session)
        var rows: [View.CampaignRow] = []
        for (campaign, report) in try await desk.loyalty.campaigns.listWithReports(by: principal, limit: 50) {
            rows.append(View.CampaignRow(id: campaign.id.uuidString.lowercased(), name: campaign.name,
                                         status: t["campaignStatus.\(campaign.status.rawValue)"] ?? campaign.status.rawValue,
                                         active: campaign.status == .active, runs: campaign.runs, nextRun: campaign.nextRunAt.map(formats.dateTime),
                                         report: report))
        }
        let types = try await desk.kernel.customerTypes.list(principal).map { View.Option(code: $0.code, name: $0.name) }
        let found = coupon.map { coupon in
            View.FoundCoupon(code: coupon.code, value: coupon.kind == .percent ? "%\(coupon.value)" : Formats.money(Money(minorUnits: coupon.value)),
                             status: t["couponStatus.\(coupon.status.rawValue)"] ?? coupon.status.rawValue,
                             validUntil: formats.day(coupon.validUntil), issued: coupon.status == .issued)
        }
        let view = View(t: t, csrf: session.csrfToken, campaigns: rows, types: types, issued: issued, coupon: found,
                        couponDay: LocalCalendar(zone: session.tenant.timeZone).isoDay(Date().addingTimeInterval(30 * 86_400)))
        return desk.views.page(session.language.text("loyalty"), template: "loyalty", view: view, chrome: desk.chrome(session, request: request))
    }

    /// The coupon code of the path, percent-decoded.
    static func code(_ context: WebContext) -> String {
        let raw = context.parameters.get("code") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// A form field left empty is left out.
    static func given(_ text: String?) -> String? {
        text.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole number typed in a form field (nil when left empty).
    static func number(_ text: String?, field: String) throws -> Int? {
        guard let text = given(text) else { return nil }
        guard text.count <= 9, let value = Int(text) else { throw DomainError.invalid(field, .invalidValue, "Write \(field) as a whole number.") }
        return value
    }

    /// The end of the day `yyyy-mm-dd` names (a date field's value), in the tenant's zone.
    static func endOfDay(_ text: String?, zone: String) throws -> Date {
        let local = LocalCalendar(zone: zone)
        guard let start = local.day(given(text)), let end = local.calendar.date(byAdding: .day, value: 1, to: start) else {
            throw DomainError.invalid("validUntil", .invalidValue, "Write the last day the coupons are valid (yyyy-mm-dd).")
        }
        return end
    }
}
