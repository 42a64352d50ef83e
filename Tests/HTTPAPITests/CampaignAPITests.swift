import Contracts
import Foundation
import Kernel
import Loyalty
import Storage
import Testing
import TestSupport

@Suite("HTTP: campaigns")
struct CampaignAPITests {
    @Test("the owner saves a campaign, lists it, reads its report and cancels it; bad wording is 422 and the front desk 403",
          arguments: TestDatabases.engines)
    func campaignsOverHTTP(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine, settingsCatalog: try SettingsCatalog([LoyaltyModule.settings], registry: TestKernels.registry),
                                                subscribers: [LoyaltyModule.subscriber])
        let fixture = try await TenantFixture.make(harness.kernel)
        let (desk, _) = try await fixture.addStaff(harness.kernel, role: .frontDesk, branch: fixture.branch)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let body = client.json(["name": "Kış kampanyası", "text": "Merhaba {{customer}}, montlarda %30 indirim.", "channel": "sms",
                                    "audience": ["inactiveDays": 90], "repeatDays": 30])
            let created = try await client.send(.post, "/api/v1/campaigns", token: token, body: body)
            #expect(created.status == .created && created.json["status"] as? String == "active" && created.json["runs"] as? Int == 0
                    && (created.json["audience"] as? [String: Any])?["inactiveDays"] as? Int == 90, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let badWording = try await client.send(.post, "/api/v1/campaigns", token: token,
                                                   body: client.json(["name": "x", "text": "Siparişiniz {{order}} hazır"]))
            #expect(badWording.status == .unprocessableContent && badWording.code == "invalid_value" && badWording.text.contains("order"),
                    "\(badWording.text)")
            let deskToken = try await client.login(fixture.tenant.slug, desk.email)
            #expect(try await client.send(.post, "/api/v1/campaigns", token: deskToken, body: body).status == .forbidden)
            #expect(try await client.send(.get, "/api/v1/campaigns", token: deskToken).status == .forbidden)

            let listed = try await client.send(.get, "/api/v1/campaigns", token: token)
            #expect(listed.items.map { $0["id"] as? String } == [id], "\(listed.text)")
            let report = try await client.send(.get, "/api/v1/campaigns/\(id)/report", token: token)
            #expect(report.status == .ok && report.json["targeted"] as? Int == 0 && report.json["optedOut"] as? Int == 0, "\(report.text)")
            let cancelled = try await client.send(.post, "/api/v1/campaigns/\(id)/cancellation", token: token)
            #expect(cancelled.status == .ok && cancelled.json["status"] as? String == "cancelled" && cancelled.json["nextRunAt"] == nil,
                    "\(cancelled.text)")
            #expect(try await client.send(.get, "/api/v1/campaigns/\(UUID().uuidString)", token: token).status == .notFound)
        }
    }
}
