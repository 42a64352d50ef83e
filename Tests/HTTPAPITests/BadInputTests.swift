import Foundation
import HTTPTypes
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("HTTP: bad input gets a 4xx problem and writes nothing")
struct BadInputTests {
    /// Rows that any accepted write would add to.
    /// The tenant's rows (other tests write to the shared PostgreSQL database meanwhile).
    static func rowCounts(_ database: any Database, tenantID: UUID) async throws -> [String: Int] {
        try await database.read(.system) { sql in
            var counts: [String: Int] = [:]
            for table in ["customers", "customer_phones", "users", "branches", "audit_log"] {
                counts[table] = try await sql.raw("SELECT count(*) AS n FROM \(ident: table) WHERE tenant_id = \(bind: tenantID)")
                    .first(decodingColumn: "n", as: Int.self)
            }
            return counts
        }
    }

    @Test("malformed JSON, wrong types, missing fields, oversized bodies, wrong media types, bad parameters, invalid phones", arguments: TestDatabases.engines)
    func customerInput(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let before = try await Self.rowCounts(harness.kernel.database, tenantID: fixture.tenant.id)
            let huge = #"{"name":"x","notes":""# + String(repeating: "a", count: APIHarness.bodyLimit) + #""}"#
            let cases: [(String, HTTPRequest.Method, String, String?, HTTPFields, HTTPResponse.Status, String, String?)] = [
                ("malformed JSON", .post, "/api/v1/customers", #"{"name": "Ali""#, [:], .badRequest, "invalid_json", nil),
                ("not JSON at all", .post, "/api/v1/customers", "name=Ali", [:], .badRequest, "invalid_json", nil),
                ("empty body", .post, "/api/v1/customers", "", [:], .badRequest, "invalid_json", nil),
                ("an array for an object", .post, "/api/v1/customers", "[]", [:], .unprocessableContent, "wrong_type", nil),
                ("a number for a name", .post, "/api/v1/customers", #"{"name": 42}"#, [:], .unprocessableContent, "wrong_type", "name"),
                ("a string for a list", .post, "/api/v1/customers", #"{"name":"Ali","phones":"0532"}"#, [:], .unprocessableContent, "wrong_type", "phones"),
                ("a number in the address", .post, "/api/v1/customers", #"{"name":"Ali","address":{"city":34}}"#, [:], .unprocessableContent, "wrong_type", "address.city"),
                ("a bad UUID", .post, "/api/v1/customers", #"{"name":"Ali","branchId":"nope"}"#, [:], .unprocessableContent, "invalid_value", "branchId"),
                ("a missing name", .post, "/api/v1/customers", #"{"email":"ali@example.com"}"#, [:], .unprocessableContent, "missing_field", "name"),
                ("an invalid phone", .post, "/api/v1/customers", #"{"name":"Ali","phones":[{"number":"0532 12"}]}"#, [:], .unprocessableContent, "invalid_phone", "phones[0].number"),
                ("an invalid e-mail", .post, "/api/v1/customers", #"{"name":"Ali","email":"ali@"}"#, [:], .unprocessableContent, "invalid_email", "email"),
                ("an unknown customer type", .post, "/api/v1/customers", #"{"name":"Ali","customerType":"gold"}"#, [:], .unprocessableContent, "unknown_customer_type", "customerType"),
                ("an oversized body", .post, "/api/v1/customers", huge, [:], .contentTooLarge, "payload_too_large", nil),
                ("a wrong media type", .post, "/api/v1/customers", #"{"name":"Ali"}"#, [.contentType: "text/plain"], .unsupportedMediaType, "unsupported_media_type", nil),
                ("null for a field that is not nullable", .patch, "/api/v1/customers/00000000-0000-0000-0000-000000000000", #"{"name":null}"#, [:], .unprocessableContent, "wrong_type", "name"),
                ("null deep in a body", .post, "/api/v1/customers", #"{"name":"Ali","phones":[null]}"#, [:], .unprocessableContent, "wrong_type", "phones[0]"),
                ("null for a price list", .put, "/api/v1/customer-types/retail/pricing", #"{"discountBasisPoints":0,"priceList":null}"#, [:], .unprocessableContent, "wrong_type", "priceList"),
                ("an empty uuid parameter", .get, "/api/v1/customers?branchId=", nil, [:], .badRequest, "invalid_parameter", "branchId"),
                ("a malformed uuid parameter", .get, "/api/v1/orders?customerId=42", nil, [:], .badRequest, "invalid_parameter", "customerId"),
                ("a tag of no shape", .get, "/api/v1/tags/%2B%2B", nil, [:], .unprocessableContent, "invalid_tag", nil),
                ("a NUL in a query", .get, "/api/v1/customers?q=a%00b", nil, [:], .badRequest, "invalid_parameter", nil),
                ("a NUL in a path", .get, "/api/v1/tags/KT00001%00", nil, [:], .badRequest, "invalid_parameter", nil),
                ("a malformed id", .get, "/api/v1/customers/not-a-uuid", nil, [:], .notFound, "not_found", nil),
                ("a bad limit", .get, "/api/v1/customers?limit=lots", nil, [:], .badRequest, "invalid_parameter", "limit"),
                ("a limit out of range", .get, "/api/v1/customers?limit=5000", nil, [:], .badRequest, "invalid_parameter", "limit"),
                ("a forged cursor", .get, "/api/v1/customers?cursor=AAAA", nil, [:], .badRequest, "invalid_parameter", "cursor"),
                ("a bad If-Match", .delete, "/api/v1/customers/00000000-0000-0000-0000-000000000000", nil, [.ifMatch: "yesterday"], .badRequest, "invalid_parameter", "If-Match"),
                ("an unknown route", .get, "/api/v1/customerz", nil, [:], .notFound, "route_not_found", nil),
            ]
            for (label, method, path, body, headers, status, code, field) in cases {
                let reply = try await client.send(method, path, token: token, body: body, headers: headers)
                #expect(reply.status == status, "\(label): \(reply.status) \(reply.text)")
                #expect(reply.code == code, "\(label): \(reply.text)")
                #expect(reply.isProblem, "\(label) is not problem+json")
                #expect(reply.json["detail"] is String, "\(label) has no human message")
                if let field {
                    let fields = (reply.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                    #expect(fields.contains(field), "\(label): fields \(fields)")
                }
            }
            #expect(try await Self.rowCounts(harness.kernel.database, tenantID: fixture.tenant.id) == before)
        }
    }

    @Test("a customer updated with bad values stays as it was", arguments: TestDatabases.engines)
    func updateInput(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        let customer = try await harness.kernel.customers.create(CustomerDraft(name: "Ali Can", phones: [PhoneInput(number: "0532 111 22 33")]), by: fixture.ownerPrincipal)
        let path = "/api/v1/customers/\(customer.id.uuidString)"
        try await harness.run { client in
            let token = try await client.login(fixture)
            for body in [#"{"name":null}"#, #"{"name":""}"#, #"{"phones":[{"number":"x"}]}"#, #"{"preferredChannel":"email"}"#, #"{"tags":"vip"}"#, #"{"name":"#] {
                let reply = try await client.send(.patch, path, token: token, body: body)
                #expect((400..<500).contains(reply.status.code) && reply.isProblem, "\(body): \(reply.status) \(reply.text)")
            }
            let stale = try await client.send(.patch, path, token: token, body: #"{"notes":"x"}"#, headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed && stale.code == "precondition_failed")
            let current = try await client.send(.get, path, token: token)
            #expect(current.headers[.eTag] == "\"1\"")
            let updated = try await client.send(.patch, path, token: token, body: #"{"notes":"Ütü hassas"}"#, headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok && updated.headers[.eTag] == "\"2\"")
        }
        let stored = try await harness.kernel.customers.get(customer.id, by: fixture.ownerPrincipal)
        #expect(stored.name == "Ali Can" && stored.phones == customer.phones && stored.notes == "Ütü hassas")
    }

    @Test("operator input: unknown sector, bad slug, bad owner; no token, wrong token", arguments: TestDatabases.engines)
    func operatorInput(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let issued = try await harness.kernel.auth.issueOperatorToken(label: "test ops", lifetime: .seconds(600), by: .commandLine)
        try await harness.run { client in
            func slugTaken() async throws -> Bool {
                try await harness.kernel.database.read(.system) { sql in
                    try await sql.raw("SELECT count(*) AS n FROM tenants WHERE slug = 'yeni-halici'").first(decodingColumn: "n", as: Int.self)
                } != 0
            }
            #expect(try await !slugTaken())
            let valid: [String: Any] = ["slug": "yeni-halici", "name": "Yeni Halıcı", "sector": "carpet",
                                        "owner": ["email": "sahip@yenihalici.example", "name": "Sahip"]]
            var unknownSector = valid
            unknownSector["sector"] = "laundromat"
            var badSlug = valid
            badSlug["slug"] = "Yeni Halıcı"
            var badOwner = valid
            badOwner["owner"] = ["email": "sahip", "name": "Sahip", "password": "123"]
            let cases: [([String: Any], String, String)] = [
                (unknownSector, "unknown_sector", "sector"), (badSlug, "invalid_slug", "slug"), (badOwner, "invalid_email", "owner.email"),
            ]
            for (body, code, field) in cases {
                let reply = try await client.send(.post, "/api/v1/operator/tenants", token: issued.token, body: client.json(body))
                #expect(reply.status == .unprocessableContent && reply.code == code, "\(reply.text)")
                #expect((reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String == field)
            }
            #expect(try await client.send(.post, "/api/v1/operator/tenants", body: client.json(valid)).status == .unauthorized)
            #expect(try await client.send(.post, "/api/v1/operator/tenants", token: "crmo_forged", body: client.json(valid)).status == .unauthorized)
            #expect(try await !slugTaken())

            let created = try await client.send(.post, "/api/v1/operator/tenants", token: issued.token, body: client.json(valid))
            #expect(created.status == .created)
            let password = try #require((created.json["generatedPassword"] as? String))
            _ = try await client.login("yeni-halici", "sahip@yenihalici.example", password)
            let again = try await client.send(.post, "/api/v1/operator/tenants", token: issued.token, body: client.json(valid))
            #expect(again.status == .conflict && again.code == "slug_taken")
        }
    }

    @Test("sign-in: missing fields are named; repeated failures end in 429 with Retry-After", arguments: TestDatabases.engines)
    func loginInput(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { client in
            let missing = try await client.send(.post, "/api/v1/auth/login", body: #"{"tenant":"x"}"#)
            #expect(missing.status == .unprocessableContent && missing.code == "missing_field")
            #expect((missing.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["email", "password"])
            let wrong = client.json(["tenant": fixture.tenant.slug, "email": fixture.owner.email, "password": "not the password"])
            for _ in 0..<5 {
                let reply = try await client.send(.post, "/api/v1/auth/login", body: wrong)
                #expect(reply.status == .unauthorized && reply.code == "invalid_credentials")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            }
            let locked = try await client.send(.post, "/api/v1/auth/login", body: wrong)
            #expect(locked.status == .tooManyRequests && locked.code == "login_throttled")
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await client.send(.get, "/api/v1/me").status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/me", token: "crmu_nothing").code == "unauthenticated")
        }
    }
}
