import Contracts
import Foundation
import Hummingbird
import Kernel
import Loyalty

/// A customer's loyalty points: the balance with its lots and movements, and a redemption.
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
    }
}
