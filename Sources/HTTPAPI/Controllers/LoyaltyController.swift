import Contracts
import Foundation
import Hummingbird
import Kernel
import Loyalty

/// Loyalty points: a customer's balance with its lots and movements, a redemption, and points
/// loaded onto or removed from a list of customers; coupons issued, looked up, redeemed, cancelled;
/// the tier ladder and a customer's standing; stamp cards and a customer's stamps; campaigns saved, listed, reported on and cancelled.
struct LoyaltyController {
    let loyalty: LoyaltyModule
    let settings: APISettings

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("customers/:id/loyalty") { _, context in
            try JSONBody.response(try await loyalty.points.account(customerID: try context.id(of: "The customer"), by: context.principal))
        }
        api.post("customers/:id/loyalty/redemptions") { request, context in
            let input = try await JSONBody.decode(RedemptionInput.self, from: request, limit: settings.maximumBodyBytes)
            let redemption = try await loyalty.points.redeem(input, customerID: try context.id(of: "The customer"), by: context.principal)
            return try JSONBody.response(redemption, status: .created)
        }
        api.post("loyalty/loads") { request, context in
            let input = try await JSONBody.decode(PointsLoadInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.points.load(input, by: context.principal), status: .created)
        }
        api.post("loyalty/removals") { request, context in
            let input = try await JSONBody.decode(PointsRemovalInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.points.remove(input, by: context.principal), status: .created)
        }
        api.post("coupons") { request, context in
            let input = try await JSONBody.decode(CouponBatchInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.coupons.issue(input, by: context.principal), status: .created)
        }
        api.get("coupons/:code") { _, context in
            try JSONBody.response(try await loyalty.coupons.get(Self.code(context), by: context.principal))
        }
        api.post("coupons/:code/redemption") { request, context in
            let input = try await JSONBody.decode(CouponRedemptionInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.coupons.redeem(Self.code(context), input, by: context.principal), status: .created)
        }
        api.post("coupons/:code/cancellation") { _, context in
            try JSONBody.response(try await loyalty.coupons.cancel(Self.code(context), by: context.principal))
        }
        api.get("loyalty/tiers") { _, context in
            try JSONBody.response(TierList(items: try await loyalty.tiers.ladder(by: context.principal)))
        }
        api.put("loyalty/tiers") { request, context in
            let input = try await JSONBody.decode(TierLadderInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(TierList(items: try await loyalty.tiers.setLadder(input, by: context.principal)))
        }
        api.get("customers/:id/tier") { _, context in
            try JSONBody.response(try await loyalty.tiers.standing(customerID: try context.id(of: "The customer"), by: context.principal))
        }
        api.post("stamp-cards") { request, context in
            let input = try await JSONBody.decode(StampCardInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.stamps.add(input, by: context.principal), status: .created)
        }
        api.get("stamp-cards") { _, context in
            try JSONBody.response(StampCardList(items: try await loyalty.stamps.list(by: context.principal)))
        }
        api.post("stamp-cards/:id/retirement") { _, context in
            try JSONBody.response(try await loyalty.stamps.retire(try context.id(of: "The stamp card"), by: context.principal))
        }
        api.get("customers/:id/stamps") { _, context in
            try JSONBody.response(CustomerStampList(items: try await loyalty.stamps.stamps(customerID: try context.id(of: "The customer"), by: context.principal)))
        }
        api.post("campaigns") { request, context in
            let input = try await JSONBody.decode(CampaignInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.campaigns.create(input, by: context.principal), status: .created)
        }
        api.get("campaigns") { _, context in
            try JSONBody.response(CampaignList(items: try await loyalty.campaigns.list(by: context.principal)))
        }
        api.get("campaigns/:id") { _, context in
            try JSONBody.response(try await loyalty.campaigns.find(try context.id(of: "The campaign"), by: context.principal))
        }
        api.get("campaigns/:id/report") { _, context in
            try JSONBody.response(try await loyalty.campaigns.report(try context.id(of: "The campaign"), by: context.principal))
        }
        api.post("campaigns/:id/cancellation") { _, context in
            try JSONBody.response(try await loyalty.campaigns.cancel(try context.id(of: "The campaign"), by: context.principal))
        }
    }

    /// The code as typed in the path (percent-decoded: `abcd%20efgh` is `abcd efgh`).
    static func code(_ context: UserRequestContext) -> String {
        let raw = context.parameters.get("code") ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}

/// The tenant's campaigns, newest first.
struct CampaignList: Encodable {
    let items: [Campaign]
}

/// The tenant's stamp cards, oldest first.
struct StampCardList: Encodable {
    let items: [StampCard]
}

/// A customer's stamps on the active cards.
struct CustomerStampList: Encodable {
    let items: [CustomerStamps]
}

/// The tier ladder, lowest first.
struct TierList: Encodable {
    let items: [Tier]
}
