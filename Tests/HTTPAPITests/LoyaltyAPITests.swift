import Contracts
import Foundation
import Kernel
import Loyalty
import Storage
import Testing
import TestSupport

@Suite("HTTP: loyalty points")
struct LoyaltyAPITests {
    @Test("points earned on a delivered order, redeemed over HTTP; too many answers 409 with what is there; bad input 422; accountants may not redeem",
          arguments: TestDatabases.engines)
    func pointsOverHTTP(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine, settingsCatalog: try SettingsCatalog([LoyaltyModule.settings], registry: TestKernels.registry),
                                                subscribers: [LoyaltyModule.subscriber])
        let fixture = try await TenantFixture.make(harness.kernel)
        _ = try await harness.kernel.settingsService.change("loyalty_points_per_lira", to: .integer(1), by: fixture.ownerPrincipal)
        let customer = try await fixture.customer(harness.kernel)
        let (accountant, _) = try await fixture.addStaff(harness.kernel, role: .accountant)
        let order = try await harness.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt", quantity: 2)]),
                                                           by: fixture.ownerPrincipal)
        try await harness.run { client in
            let token = try await client.login(fixture)
            for stage in ["cleaning", "ready", "delivered"] {
                for item in order.items {
                    let moved = try await client.send(.post, "/api/v1/tags/\(item.tag)/scan", token: token, body: client.json(["stage": stage]))
                    #expect(moved.status == .ok, "\(moved.text)")
                }
            }
            let base = "/api/v1/customers/\(customer.id.uuidString)/loyalty"
            let account = try await client.send(.get, base, token: token)
            #expect(account.status == .ok && account.json["points"] as? Int == 240, "\(account.text)")
            #expect((account.json["lots"] as? [[String: Any]])?.first?["remaining"] as? Int == 240)

            let redeemed = try await client.send(.post, base + "/redemptions", token: token,
                                                 body: client.json(["points": 100, "reason": "kasada", "orderId": order.id.uuidString]))
            #expect(redeemed.status == .created && redeemed.json["balance"] as? Int == 140, "\(redeemed.text)")
            #expect((redeemed.json["entries"] as? [[String: Any]])?.first?["points"] as? Int == -100)
            let tooMany = try await client.send(.post, base + "/redemptions", token: token, body: client.json(["points": 141]))
            #expect(tooMany.status == .conflict && tooMany.code == "insufficient_points" && tooMany.json["availablePoints"] as? [String] == ["140"],
                    "\(tooMany.text)")
            for body in [#"{}"#, #"{"points":0}"#, #"{"points":1000000001}"#, #"{"points":"5"}"#, #"{"points":5,"orderId":"\#(UUID().uuidString)"}"#] {
                let refused = try await client.send(.post, base + "/redemptions", token: token, body: body)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
            }
            let books = try await client.login(fixture.tenant.slug, accountant.email)
            #expect(try await client.send(.post, base + "/redemptions", token: books, body: #"{"points":1}"#).status == .forbidden)
            #expect(try await client.send(.get, base, token: token).json["points"] as? Int == 140)

            let load = try await client.send(.post, "/api/v1/loyalty/loads", token: token,
                                             body: client.json(["customerIds": [customer.id.uuidString], "points": 60, "reason": "hoş geldin"]))
            #expect(load.status == .created && load.json["points"] as? Int == 60, "\(load.text)")
            for body in [#"{"customerIds":[],"points":5,"reason":"x"}"#, #"{"customerIds":["\#(customer.id.uuidString)"],"points":5,"reason":" "}"#,
                         #"{"customerIds":["\#(customer.id.uuidString)"],"points":1000001,"reason":"x"}"#,
                         #"{"customerIds":["\#(customer.id.uuidString)"],"points":5,"reason":"x","expiresAt":"2001-01-01T00:00:00Z"}"#] {
                let refused = try await client.send(.post, "/api/v1/loyalty/loads", token: token, body: body)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
            }
            let removal = try await client.send(.post, "/api/v1/loyalty/removals", token: token,
                                                body: client.json(["customerIds": [customer.id.uuidString], "reason": "dönem sonu"]))
            #expect(removal.status == .created && removal.json["points"] as? Int == 200, "\(removal.text)")
            #expect(try await client.send(.get, base, token: token).json["points"] as? Int == 0)
        }
    }

    @Test("coupons over HTTP: a batch, the code typed loosely, one redemption, a mistyped code is not found", arguments: [Engine.sqlite])
    func couponsOverHTTP(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine, settingsCatalog: try SettingsCatalog([LoyaltyModule.settings], registry: TestKernels.registry),
                                                subscribers: [LoyaltyModule.subscriber])
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
            let batch = try await client.send(.post, "/api/v1/coupons", token: token,
                                              body: client.json(["count": 3, "kind": "percent", "value": 10, "validUntil": until]))
            #expect(batch.status == .created, "\(batch.text)")
            let codes = ((batch.json["coupons"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
            #expect(codes.count == 3 && codes.allSatisfy { $0.range(of: "^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$", options: .regularExpression) != nil })
            let loose = codes[0].lowercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await client.send(.get, "/api/v1/coupons/\(loose.replacingOccurrences(of: " ", with: "%20"))", token: token).status == .ok)
            let redeemed = try await client.send(.post, "/api/v1/coupons/\(codes[0])/redemption", token: token, body: #"{"basket":25000}"#)
            #expect(redeemed.status == .created && redeemed.json["discount"] as? Int == 2_500, "\(redeemed.text)")
            let again = try await client.send(.post, "/api/v1/coupons/\(codes[0])/redemption", token: token, body: #"{"basket":25000}"#)
            #expect(again.status == .conflict)
            var typo = Array(codes[1])
            typo[2] = typo[2] == "A" ? "B" : "A"
            #expect(try await client.send(.get, "/api/v1/coupons/\(String(typo))", token: token).status == .notFound)
            let cancelled = try await client.send(.post, "/api/v1/coupons/\(codes[1])/cancellation", token: token)
            #expect(cancelled.status == .ok && cancelled.json["status"] as? String == "cancelled")
            let tooMuch = try await client.send(.post, "/api/v1/coupons", token: token,
                                                body: client.json(["count": 1, "kind": "percent", "value": 150, "validUntil": until]))
            #expect(tooMuch.status == .unprocessableContent)
        }
    }
}
