import Contracts
import Foundation
import HTTPTypes
import Kernel
import Loyalty
import Storage
import Testing
import TestSupport

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}

@Suite("HTTP: the POS API")
struct PosAPITests {
    @Test("the owner adds a till; the till looks a customer up by phone and books a sale once per Idempotency-Key; revoked, it is refused",
          arguments: TestDatabases.engines)
    func tillOverHTTP(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine, settingsCatalog: try SettingsCatalog([LoyaltyModule.settings], registry: TestKernels.registry),
                                                subscribers: [LoyaltyModule.subscriber])
        let fixture = try await TenantFixture.make(harness.kernel)
        _ = try await harness.kernel.settingsService.change("loyalty_points_per_lira", to: .integer(1), by: fixture.ownerPrincipal)
        let customer = try await fixture.customer(harness.kernel, name: "Ayşe Yılmaz")
        let (desk, _) = try await fixture.addStaff(harness.kernel, role: .frontDesk, branch: fixture.branch)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let added = try await client.send(.post, "/api/v1/pos-devices", token: token,
                                              body: client.json(["name": "Kasa 1", "branchId": fixture.branch.id.uuidString]))
            #expect(added.status == .created && added.headers[.cacheControl] == "no-store", "\(added.text)")
            let key = try #require(added.json["key"] as? String)
            let deviceID = try #require((added.json["device"] as? [String: Any])?["id"] as? String)
            let deskToken = try await client.login(fixture.tenant.slug, desk.email)
            #expect(try await client.send(.post, "/api/v1/pos-devices", token: deskToken, body: #"{"name":"Kasa 2"}"#).status == .forbidden)
            #expect(try await client.send(.get, "/api/v1/pos/customers?phone=05321234567", token: token).status == .unauthorized,
                    "a user's sign-in is not a device key")
            #expect(try await client.send(.get, "/api/v1/me", token: key).status == .unauthorized, "a device key is not a sign-in")

            let found = try await client.send(.get, "/api/v1/pos/customers?phone=%2B90%20532%20123%2045%2067", token: key)
            #expect(found.status == .ok && found.items.first?["id"] as? String == customer.id.uuidString
                    && found.items.first?["points"] as? Int == 0, "\(found.text)")
            #expect(try await client.send(.get, "/api/v1/pos/customers?phone=05550000000", token: key).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/pos/customers", token: key).status == .badRequest)

            let sale = client.json(["customerId": customer.id.uuidString, "amount": 45_050, "receipt": "F-77"])
            let first = try await client.send(.post, "/api/v1/pos/sales", token: key, body: sale, headers: [.idempotencyKey: "till1-0001"])
            #expect(first.status == .created && first.json["pointsEarned"] as? Int == 450 && first.headers[.idempotentReplayed] == nil, "\(first.text)")
            let again = try await client.send(.post, "/api/v1/pos/sales", token: key, body: sale, headers: [.idempotencyKey: "till1-0001"])
            #expect(again.status == .created && again.headers[.idempotentReplayed] == "true" && again.json["id"] as? String == first.json["id"] as? String)
            let reused = try await client.send(.post, "/api/v1/pos/sales", token: key, body: #"{"amount":100}"#, headers: [.idempotencyKey: "till1-0001"])
            #expect(reused.status == .unprocessableContent && reused.code == "idempotency_key_reused", "\(reused.text)")
            let keyless = try await client.send(.post, "/api/v1/pos/sales", token: key, body: sale)
            #expect(keyless.status == .badRequest && keyless.code == "invalid_parameter", "\(keyless.text)")
            let card = try await client.send(.get, "/api/v1/pos/customers?code=\(customer.code)", token: key)
            #expect(card.items.first?["points"] as? Int == 450, "\(card.text)")

            let listed = try await client.send(.get, "/api/v1/pos-devices", token: token)
            #expect(listed.items.map { $0["id"] as? String } == [deviceID] && listed.items.first?["key"] == nil, "\(listed.text)")
            #expect(!listed.text.contains(key))
            let revoked = try await client.send(.post, "/api/v1/pos-devices/\(deviceID)/revocation", token: token)
            #expect(revoked.status == .ok && revoked.json["revokedAt"] is String, "\(revoked.text)")
            let refused = try await client.send(.get, "/api/v1/pos/customers?code=\(customer.code)", token: key)
            #expect(refused.status == .unauthorized && refused.code == "unauthenticated", "\(refused.text)")
        }
    }
}
