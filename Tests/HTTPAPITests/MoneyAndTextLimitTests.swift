import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Notify
import Prometheus
import Storage
import Testing
import TestSupport

/// Issue 12: money and sizes never crash the process; texts are bounded in Unicode scalars and
/// refuse NUL, on both engines.
@Suite("HTTP: amounts beyond the cap and unbounded texts get 422, never a crash or a 500")
struct MoneyAndTextLimitTests {
    /// The real router with the production body limit (1 MiB), served on loopback, so that long
    /// texts reach the kernel's bounds rather than the harness's 16 KiB limit.
    static func run(_ engine: Engine, _ test: @Sendable (Kernel, APIHarness.Client) async throws -> Void) async throws {
        let kernel = try await TestKernels.make(engine)
        let router = APIServer.buildRouter(kernel: kernel, notify: try NotifyModule(kernel: kernel), settings: APISettings(), metrics: PrometheusCollectorRegistry())
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await test(kernel, APIHarness.Client(client: client)) }
    }

    static func fields(_ reply: APIHarness.Client.Reply) -> [String] {
        (reply.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    @Test("a curtain at 1 000 000 TL per m² with express at +500 %, 999 of 50 m × 50 m: 422 amount_too_large, the server lives on", arguments: TestDatabases.engines)
    func curtainCrash(engine: Engine) async throws {
        try await Self.run(engine) { kernel, client in
            let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
            let token = try await client.login(fixture)
            let price = try await client.send(.put, "/api/v1/catalog/curtain", token: token, body: #"{"price": 100000000}"#)
            #expect(price.status == .ok, "\(price.text)")
            let express = try await client.send(.put, "/api/v1/catalog/express", token: token, body: #"{"surchargeBasisPoints": 50000}"#)
            #expect(express.status == .ok, "\(express.text)")
            let customer = try await client.send(.post, "/api/v1/customers", token: token, body: #"{"name":"Perde Sahibi","phones":[{"number":"0532 111 22 33"}]}"#)
            let customerID = try #require(customer.json["id"] as? String)
            let order = client.json(["customerId": customerID, "items": [
                ["service": "curtain", "quantity": 999, "widthCm": 5000, "lengthCm": 5000, "addOns": ["express"]],
            ]])
            for path in ["/api/v1/orders/quote", "/api/v1/orders"] {
                let reply = try await client.send(.post, path, token: token, body: order)
                #expect(reply.status == .unprocessableContent && reply.code == "amount_too_large", "\(path): \(reply.status) \(reply.text)")
                #expect(reply.isProblem && reply.json["detail"] is String)
                #expect(Self.fields(reply) == ["items[0]"], "\(reply.text)")
            }
            // Still serving, and nothing was taken.
            let orders = try await client.send(.get, "/api/v1/orders", token: token)
            #expect(orders.status == .ok && orders.items.isEmpty)

            let beyond = try await client.send(.put, "/api/v1/catalog/curtain", token: token, body: #"{"price": 100000001}"#)
            #expect(beyond.status == .unprocessableContent && Self.fields(beyond) == ["price"], "\(beyond.text)")
            let surcharge = try await client.send(.put, "/api/v1/catalog/express", token: token, body: #"{"surchargeBasisPoints": 50001}"#)
            #expect(surcharge.status == .unprocessableContent && Self.fields(surcharge) == ["surchargeBasisPoints"])
            let list = try await client.send(.put, "/api/v1/customer-types/vip/pricing", token: token, body: #"{"priceList": {"curtain": 9223372036854775807}}"#)
            #expect(list.status == .unprocessableContent && Self.fields(list) == ["priceList.curtain"], "\(list.text)")
        }
    }

    @Test("NUL in a customer's name or notes, or in an order line's note or details, and 10 000 combining marks: 422", arguments: TestDatabases.engines)
    func texts(engine: Engine) async throws {
        let marks = "a" + String(repeating: "\u{0301}", count: 10_000)   // one grapheme cluster, 10 001 scalars
        try await Self.run(engine) { kernel, client in
            let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
            let token = try await client.login(fixture)
            let customers: [([String: Any], String)] = [
                (["name": "Ali\u{0}Can"], "name"),
                (["name": "Ali Can", "notes": "ütü\u{0}hassas"], "notes"),
                (["name": marks], "name"),
                (["name": "Ali Can", "notes": String(repeating: "\u{0301}", count: 4001)], "notes"),
                (["name": "Ali Can", "tags": ["a\u{0}"]], "tags[0]"),
                (["name": "Ali Can", "address": ["city": "İstanbul\u{0}"]], "address.city"),
            ]
            for (body, field) in customers {
                let reply = try await client.send(.post, "/api/v1/customers", token: token, body: client.json(body))
                #expect(reply.status == .unprocessableContent && reply.code == "invalid_value", "\(field): \(reply.status) \(reply.text)")
                #expect(Self.fields(reply) == [field], "\(reply.text)")
            }
            #expect(try await client.send(.get, "/api/v1/customers", token: token).items.isEmpty, "a refused customer was created")

            let customer = try await client.send(.post, "/api/v1/customers", token: token, body: #"{"name":"Ayşe Yılmaz","phones":[{"number":"0532 123 45 67"}]}"#)
            let customerID = try #require(customer.json["id"] as? String)
            let lines: [([String: Any], String)] = [
                (["service": "shirt", "note": "yaka\u{0}kirli"], "items[0].note"),
                (["service": "shirt", "note": marks], "items[0].note"),
                (["service": "shirt", "attributes": ["colour": "mavi\u{0}"]], "items[0].attributes.colour"),
                (["service": "shirt", "attributes": ["colour": String(repeating: "\u{0301}", count: 201)]], "items[0].attributes.colour"),
                (["service": "shirt", "attributes": ["colour\u{0}": "mavi"]], "items[0].attributes"),
                (["service": "shirt", "attributes": [String(repeating: "k", count: 41): "mavi"]], "items[0].attributes"),
                (["service": "shirt", "attributes": Dictionary(uniqueKeysWithValues: (0...20).map { ("k\($0)", "v") })], "items[0].attributes"),
                (["service": "shirt\u{0}"], "items[0].service"),
                (["service": "shirt", "addOns": ["express", "express"]], "items[0].addOns[1]"),
                (["service": "shirt", "addOns": Array(repeating: "express", count: 21)], "items[0].addOns"),
            ]
            for (line, field) in lines {
                for path in ["/api/v1/orders/quote", "/api/v1/orders"] {
                    let reply = try await client.send(.post, path, token: token, body: client.json(["customerId": customerID, "items": [line]]))
                    #expect(reply.status == .unprocessableContent && reply.isProblem, "\(path) \(field): \(reply.status) \(reply.text)")
                    #expect(Self.fields(reply).contains(field), "\(path): \(reply.text)")
                }
            }
            let notes = try await client.send(.post, "/api/v1/orders", token: token,
                                              body: client.json(["customerId": customerID, "notes": "acil\u{0}", "items": [["service": "shirt"]]]))
            #expect(notes.status == .unprocessableContent && Self.fields(notes) == ["notes"], "\(notes.text)")
            let orders = try await client.send(.get, "/api/v1/orders", token: token)
            #expect(orders.items.isEmpty, "a refused order was taken")
            for stage in ["a%00b", String(repeating: "x", count: 41)] {
                let filtered = try await client.send(.get, "/api/v1/orders?stage=\(stage)", token: token)
                #expect(filtered.status == .badRequest && filtered.code == "invalid_parameter", "\(stage): \(filtered.text)")
            }

            // A note at its bound is taken and kept as written (trimmed).
            let taken = try await client.send(.post, "/api/v1/orders", token: token, body: client.json([
                "customerId": customerID, "items": [["service": "shirt", "note": " " + String(repeating: "ç", count: 499)]],
            ]))
            #expect(taken.status == .created, "\(taken.text)")
            let item = try #require((taken.json["items"] as? [[String: Any]])?.first)
            #expect(item["note"] as? String == String(repeating: "ç", count: 499))
            let tag = try #require(item["tag"] as? String)
            for (path, body) in [("/api/v1/tags/\(tag)/scan", client.json(["stage": "cleaning", "note": "a\u{0}"])),
                                 ("/api/v1/tags/\(tag)/cancel", client.json(["reason": marks]))] {
                let reply = try await client.send(.post, path, token: token, body: body)
                #expect(reply.status == .unprocessableContent && reply.code == "invalid_value", "\(path): \(reply.text)")
            }
        }
    }
}
