import Contracts
import Foundation
import HTTPTypes
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("HTTP: a sector added as a plugin, with no kernel change")
struct PluginSectorTests {
    @Test("an extra module registered in the test target takes an order through its whole workflow", arguments: TestDatabases.engines)
    func upholstery(engine: Engine) async throws {
        let registry = try ModuleRegistry(TestKernels.modules + [UpholsteryModule()])
        let harness = try await APIHarness.make(engine, registry: registry)
        let operatorToken = try await harness.kernel.auth.issueOperatorToken(label: "ops", lifetime: .seconds(600), by: .commandLine).token
        let slug = "koltuk-" + UUID().uuidString.prefix(6).lowercased()
        try await harness.run { client in
            let sectors = try await client.send(.get, "/api/v1/sectors")
            #expect(sectors.items.compactMap { $0["id"] as? String }.contains("upholstery"))
            let created = try await client.send(.post, "/api/v1/operator/tenants", token: operatorToken, body: client.json([
                "slug": slug, "name": "Pırıl Koltuk", "sector": "upholstery",
                "owner": ["email": "sahip@\(slug).example", "name": "Sahip", "password": TenantFixture.ownerPassword],
            ]))
            #expect(created.status == .created, "\(created.text)")
            let token = try await client.login(slug, "sahip@\(slug).example")
            let workflow = try await client.send(.get, "/api/v1/workflow", token: token)
            #expect((workflow.json["stages"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["booked", "cleaning", "drying", "done"])
            let customer = try await client.send(.post, "/api/v1/customers", token: token, body: #"{"name":"Deniz Aydın","phones":[{"number":"0541 222 33 44"}]}"#)
            let customerID = try #require(customer.json["id"] as? String)

            let missingFabric = try await client.send(.post, "/api/v1/orders", token: token, body: client.json([
                "customerId": customerID, "items": [["service": "seat", "quantity": 4]],
            ]))
            #expect(missingFabric.status == .unprocessableContent && missingFabric.code == "missing_field")

            let order = try await client.send(.post, "/api/v1/orders", token: token, body: client.json([
                "customerId": customerID,
                "items": [["service": "seat", "quantity": 4, "attributes": ["fabric": "velvet"], "addOns": ["stain_guard"]],
                          ["service": "mattress", "attributes": ["fabric": "cotton"]]],
            ]))
            #expect(order.status == .created, "\(order.text)")
            // Seats: 4 × 250 = 1000, −10 % = 900, + stain guard 4 × 80 = 320 → 1220; mattress 600.
            let totals = try #require(order.json["totals"] as? [String: Any])
            #expect(totals["total"] as? Int == 182_000)
            let items = try #require(order.json["items"] as? [[String: Any]])
            let tags = items.compactMap { $0["tag"] as? String }
            #expect(tags.count == 2 && tags.allSatisfy { $0.hasPrefix("KY") })

            for stage in ["cleaning", "drying", "done"] {
                for tag in tags {
                    let scan = try await client.send(.post, "/api/v1/tags/\(tag)/scan", token: token, body: client.json(["stage": stage]))
                    #expect(scan.status == .ok, "\(scan.text)")
                }
            }
            let orderID = try #require(order.json["id"] as? String)
            let finished = try await client.send(.get, "/api/v1/orders/\(orderID)", token: token)
            #expect(finished.json["stage"] as? String == "done")
        }
        // The module's own migration ran, and its table is tenant-isolated on PostgreSQL.
        let tables = try await harness.kernel.database.read(.system) { sql in
            try await sql.raw("SELECT owner, version FROM schema_migrations WHERE owner = 'upholstery'").all().count
        }
        #expect(tables == 1)
    }
}
