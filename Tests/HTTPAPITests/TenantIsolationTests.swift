import Foundation
import HTTPTypes
import Kernel
import Storage
import Testing
import TestSupport

@Suite("HTTP: tenants and branches never see each other's customers")
struct TenantIsolationTests {
    @Test("a user of tenant A cannot read, list, search, update or delete tenant B's customers by any route", arguments: TestDatabases.engines)
    func crossTenant(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let a = try await TenantFixture.make(harness.kernel)
        let b = try await TenantFixture.make(harness.kernel)
        let secret = try await harness.kernel.customers.create(
            CustomerDraft(name: "Zeynep Gizlioğlu", phones: [PhoneInput(number: "0533 765 43 21")], email: "zeynep@secret.example"),
            by: b.ownerPrincipal
        )
        let id = secret.id.uuidString
        try await harness.run { client in
            let token = try await client.login(a)
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/customers/\(id)", nil),
                (.patch, "/api/v1/customers/\(id)", #"{"name":"Taken Over"}"#),
                (.delete, "/api/v1/customers/\(id)", nil),
                (.get, "/api/v1/users/\(b.owner.id.uuidString)", nil),
                (.patch, "/api/v1/users/\(b.owner.id.uuidString)", #"{"name":"Taken Over"}"#),
            ]
            for (method, path, body) in routes {
                let reply = try await client.send(method, path, token: token, body: body)
                #expect(reply.status == .notFound, "\(method) \(path) answered \(reply.status)")
                #expect(reply.code == "not_found")
                #expect(!reply.text.contains("Zeynep") && !reply.text.contains("zeynep"))
            }
            for query in ["zeynep", "Gizlioglu", "0533 765 43 21", "5337654321", "secret.example", secret.code] {
                let reply = try await client.send(.get, "/api/v1/customers?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: token)
                #expect(reply.status == .ok)
                #expect(reply.items.isEmpty, "search '\(query)' leaked \(reply.text)")
            }
            let listed = try await client.send(.get, "/api/v1/customers?limit=200", token: token)
            #expect(!listed.text.contains(id))
            let audit = try await client.send(.get, "/api/v1/audit?entityId=\(id)", token: token)
            #expect(audit.status == .ok && audit.items.isEmpty)
            // Tenant A's user cannot even create a customer in B's branch.
            let planted = try await client.send(.post, "/api/v1/customers", token: token, body: client.json(["name": "Planted", "branchId": b.branch.id.uuidString]))
            #expect(planted.status == .unprocessableContent && planted.code == "unknown_branch")
            // Operator routes refuse a tenant user's token.
            #expect(try await client.send(.get, "/api/v1/operator/tenants", token: token).status == .unauthorized)
        }
        let untouched = try await harness.kernel.customers.get(secret.id, by: b.ownerPrincipal)
        #expect(untouched == secret)
    }

    @Test("a branch-scoped user cannot see another branch's customers", arguments: TestDatabases.engines)
    func crossBranch(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        let (desk, _) = try await fixture.addStaff(harness.kernel, role: .frontDesk)
        let (otherManager, otherBranch) = try await fixture.addStaff(harness.kernel, role: .branchManager)
        let theirs = try await harness.kernel.customers.create(CustomerDraft(name: "Öteki Şube Müşterisi"), by: fixture.principal(otherManager))
        #expect(theirs.branchId == otherBranch.id)
        try await harness.run { client in
            let token = try await client.login(fixture.tenant.slug, desk.email)
            let mine = try await client.send(.post, "/api/v1/customers", token: token, body: #"{"name":"Bu Şube Müşterisi"}"#)
            #expect(mine.status == .created)
            let list = try await client.send(.get, "/api/v1/customers", token: token)
            #expect(list.items.compactMap { $0["name"] as? String } == ["Bu Şube Müşterisi"])
            #expect(try await client.send(.get, "/api/v1/customers?q=oteki", token: token).items.isEmpty)
            #expect(try await client.send(.get, "/api/v1/customers?branchId=\(otherBranch.id.uuidString)", token: token).items.isEmpty)
            #expect(try await client.send(.get, "/api/v1/customers/\(theirs.id.uuidString)", token: token).status == .notFound)
            #expect(try await client.send(.patch, "/api/v1/customers/\(theirs.id.uuidString)", token: token, body: #"{"notes":"x"}"#).status == .notFound)
            // Staff management is not for the front desk.
            #expect(try await client.send(.get, "/api/v1/users", token: token).code == "forbidden")
            // The owner sees both branches.
            let owner = try await client.login(fixture)
            #expect(try await client.send(.get, "/api/v1/customers", token: owner).items.count == 2)
        }
    }
}
