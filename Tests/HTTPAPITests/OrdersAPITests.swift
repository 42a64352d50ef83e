import Contracts
import Foundation
import HTTPTypes
import Kernel
import Storage
import Testing
import TestSupport

@Suite("HTTP: orders, tags and labels")
struct OrdersAPITests {
    @Test("a carpet order over HTTP: quote, intake, labels in HTML and ZPL, a refused scan, a typo in a tag", arguments: TestDatabases.engines)
    func carpetOrder(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel, sector: "carpet")
        let customer = try await fixture.customer(harness.kernel)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let body = client.json([
                "customerId": customer.id.uuidString,
                "items": [["service": "machine_woven", "widthCm": 200, "lengthCm": 300], ["service": "machine_woven", "widthCm": 160, "lengthCm": 230]],
                "pickupAddress": ["city": "İstanbul", "district": "Kadıköy", "line": "Moda Cad. 12/3"],
            ])
            let quote = try await client.send(.post, "/api/v1/orders/quote", token: token, body: body)
            #expect((quote.json["totals"] as? [String: Any])?["total"] as? Int == 116_160)
            #expect(try await harness.kernel.orders.list(.init(), page: try PageRequest(), by: fixture.ownerPrincipal).items.isEmpty)

            let created = try await client.send(.post, "/api/v1/orders", token: token, body: body)
            #expect(created.status == .created, "\(created.text)")
            #expect((created.json["totals"] as? [String: Any])?["total"] as? Int == 116_160)
            #expect((created.json["pickupAddress"] as? [String: Any])?["district"] as? String == "Kadıköy")
            let id = try #require(created.json["id"] as? String)
            let tags = (created.json["items"] as? [[String: Any]] ?? []).compactMap { $0["tag"] as? String }
            #expect(tags.count == 2)

            let html = try await client.send(.get, "/api/v1/orders/\(id)/labels", token: token)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.text.components(separatedBy: "<svg").count == 3)
            #expect(tags.allSatisfy { html.text.contains($0) } && html.text.contains("Ayşe Yılmaz") && html.text.contains("200×300 cm"))
            let zpl = try await client.send(.get, "/api/v1/orders/\(id)/labels?format=zpl", token: token)
            #expect(zpl.text.components(separatedBy: "^XA").count == 3)
            #expect(tags.allSatisfy { zpl.text.contains("^BCN,120,Y,N,N^FD\($0)^FS") })
            #expect(try await client.send(.get, "/api/v1/orders/\(id)/labels?format=pdf", token: token).code == "invalid_parameter")

            let refused = try await client.send(.post, "/api/v1/tags/\(tags[0])/scan", token: token, body: #"{"stage":"delivered"}"#)
            #expect(refused.status == .conflict && refused.code == "transition_not_allowed")
            #expect(refused.json["allowedStages"] as? [String] == ["washing"])

            var typo = Array(tags[0])
            typo[4] = typo[4] == "A" ? "B" : "A"
            let mistyped = try await client.send(.get, "/api/v1/tags/\(String(typo))", token: token)
            #expect(mistyped.status == .notFound && mistyped.code == "unknown_tag")
            #expect(mistyped.json["detail"] as? String ?? "" == "No item here has the tag '\(String(typo))': it fails its check character; was it mistyped?")
            #expect(try await client.send(.get, "/api/v1/tags/KT%2B1", token: token).code == "invalid_tag")

            let scanned = try await client.send(.post, "/api/v1/tags/\(tags[0].lowercased())/scan", token: token, body: #"{"stage":"washing"}"#)
            #expect(scanned.status == .ok)
            #expect((scanned.json["item"] as? [String: Any])?["stage"] as? String == "washing")
            #expect(scanned.json["allowedStages"] as? [String] == ["drying"])

            let items = try #require(created.json["items"] as? [[String: Any]])
            let itemID = try #require(items.first?["id"] as? String)
            let corrected = try await client.send(.patch, "/api/v1/orders/\(id)/items/\(itemID)", token: token, body: #"{"widthCm":210,"lengthCm":300}"#)
            #expect((corrected.json["totals"] as? [String: Any])?["total"] as? Int == 119_760)

            let list = try await client.send(.get, "/api/v1/orders?customerId=\(customer.id.uuidString)", token: token)
            #expect(list.items.count == 1)
            let trace = try await client.send(.get, "/api/v1/tags/\(tags[0])", token: token)
            #expect(((trace.json["history"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String } == ["intake", "scan", "measurement"])
        }
    }

    @Test("orders and tags of one tenant or branch are out of another's reach", arguments: TestDatabases.engines)
    func isolation(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let a = try await TenantFixture.make(harness.kernel, sector: "drycleaning")
        let b = try await TenantFixture.make(harness.kernel, sector: "drycleaning")
        // B's third tag number exists in B only: A's single item has the first.
        let bOrder = try await harness.kernel.orders.create(
            OrderDraft(customerId: try await b.customer(harness.kernel, name: "Gizli Müşteri").id,
                       items: [LineRequest(service: "coat"), LineRequest(service: "tie"), LineRequest(service: "dress")]),
            by: b.ownerPrincipal
        )
        let bTag = bOrder.items[2].tag
        let (otherDesk, _) = try await a.addStaff(harness.kernel, role: .frontDesk)
        let aOrder = try await harness.kernel.orders.create(
            OrderDraft(customerId: try await a.customer(harness.kernel).id, items: [LineRequest(service: "shirt")]), by: a.ownerPrincipal
        )
        try await harness.run { client in
            let token = try await client.login(a)
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/api/v1/orders/\(bOrder.id.uuidString)", nil as String?),
                (.get, "/api/v1/orders/\(bOrder.id.uuidString)/labels", nil),
                (.post, "/api/v1/orders/\(bOrder.id.uuidString)/cancel", #"{"reason":"x"}"#),
                (.get, "/api/v1/tags/\(bTag)", nil),
                (.post, "/api/v1/tags/\(bTag)/scan", #"{"stage":"cleaning"}"#),
                (.post, "/api/v1/tags/\(bTag)/cancel", #"{"reason":"x"}"#),
            ] {
                let reply = try await client.send(method, path, token: token, body: body)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.status)")
                #expect(!reply.text.contains("Gizli"))
            }
            #expect(try await client.send(.get, "/api/v1/orders", token: token).items.count == 1)
            let planted = try await client.send(.post, "/api/v1/orders", token: token, body: client.json([
                "customerId": bOrder.customerId.uuidString, "items": [["service": "shirt"]],
            ]))
            #expect(planted.code == "unknown_customer")

            // A front desk of another branch neither sees the head office's order nor moves its items.
            let desk = try await client.login(a.tenant.slug, otherDesk.email)
            #expect(try await client.send(.get, "/api/v1/orders/\(aOrder.id.uuidString)", token: desk).status == .notFound)
            #expect(try await client.send(.post, "/api/v1/tags/\(aOrder.items[0].tag)/scan", token: desk, body: #"{"stage":"cleaning"}"#).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/orders", token: desk).items.isEmpty)
        }
        #expect(try await harness.kernel.tracking.trace(bTag, by: b.ownerPrincipal).item.stage == "accepted")
    }

    @Test("catalog, settings, customer-type pricing and statistics over HTTP", arguments: TestDatabases.engines)
    func sectorRoutes(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel, sector: "carwash")
        try await harness.run { client in
            let token = try await client.login(fixture)
            let catalog = try await client.send(.get, "/api/v1/catalog", token: token)
            let full = try #require(catalog.items.first { $0["code"] as? String == "full" })
            #expect((full["variantPrices"] as? [String: Int])?["suv"] == 55_000)
            #expect((catalog.json["lineAttributes"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["plate", "vehicleClass"])
            let changed = try await client.send(.put, "/api/v1/catalog/full", token: token, body: #"{"variantPrices":{"car":50000,"suv":60000,"van":70000,"minibus":90000}}"#)
            #expect(changed.status == .ok && changed.json["overridden"] as? Bool == true)
            let badVAT = try await client.send(.put, "/api/v1/catalog/full", token: token, body: #"{"vatRate":-5}"#)
            #expect(badVAT.code == "invalid_value")
            let vip = try await client.send(.put, "/api/v1/customer-types/vip/pricing", token: token, body: #"{"discountBasisPoints":1500,"priceList":{}}"#)
            #expect(vip.json["discountBasisPoints"] as? Int == 1500)
            let gold = try await client.send(.put, "/api/v1/customer-types/gold/pricing", token: token, body: #"{"discountBasisPoints":10}"#)
            #expect(gold.status == .notFound, "\(gold.text)")
            #expect(try await client.send(.get, "/api/v1/settings", token: token).items.isEmpty)

            let customer = try await client.send(.post, "/api/v1/customers", token: token, body: #"{"name":"Emre Kılıç","customerType":"vip"}"#)
            let order = try await client.send(.post, "/api/v1/orders", token: token, body: client.json([
                "customerId": customer.json["id"] as? String ?? "",
                "items": [["service": "full", "attributes": ["plate": "35 BK 4321", "vehicleClass": "suv"]],
                          ["service": "exterior", "attributes": ["plate": "35 BK 4322", "vehicleClass": "car"]]],
            ]))
            // 600 − 15 % = 510; 250 − 15 % = 212,50.
            #expect((order.json["totals"] as? [String: Any])?["total"] as? Int == 72_250)
            // The car wash declares that its labels print the plate (the kernel names no attribute).
            let labels = try await client.send(.get, "/api/v1/orders/\(order.json["id"] as? String ?? "")/labels", token: token)
            #expect(labels.status == .ok && labels.text.contains("35 BK 4321") && labels.text.contains("35 BK 4322"), "\(labels.text.prefix(300))")
            let statistics = try await client.send(.get, "/api/v1/statistics?from=2020-01-01", token: token)
            let mix = try #require(statistics.items.first { $0["id"] as? String == "vehicle_classes" })
            #expect((mix["entries"] as? [[String: Any]])?.compactMap { $0["key"] as? String }.sorted() == ["car", "suv"])
            #expect(try await client.send(.get, "/api/v1/statistics?from=yesterday", token: token).code == "invalid_parameter")
        }
    }
}
