import Accounts
import Contracts
import Foundation
import HTTPTypes
import Invoicing
import Kernel
import Notify
import Storage
import Testing
import TestSupport

@Suite("HTTP: the customer account and invoices")
struct AccountsAPITests {
    static func harness(_ engine: Engine, bodyLimit: Int = APIHarness.bodyLimit) async throws -> APIHarness {
        try await APIHarness.make(engine, settingsCatalog: try SettingsCatalog([AccountsModule.settings, InvoicingModule.settings], registry: TestKernels.registry),
                                  subscribers: [AccountsModule.subscriber, InvoicingModule.subscriber], api: { $0.maximumBodyBytes = bodyLimit })
    }

    @Test("a payment at the counter, the balance and the statement, a profile with a bad tax number, an invoice and its page",
          arguments: TestDatabases.engines)
    func accountAndInvoice(engine: Engine) async throws {
        let harness = try await Self.harness(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        let customer = try await fixture.customer(harness.kernel)
        let order = try await harness.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt", quantity: 3)]),
                                                           by: fixture.ownerPrincipal)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let base = "/api/v1/customers/\(customer.id.uuidString)/account"
            #expect(try await client.send(.get, base, token: token).json["balance"] as? Int == 36_000)
            let paid = try await client.send(.post, base + "/entries", token: token,
                                             body: client.json(["kind": "payment", "amount": 20_000, "method": "card", "orderId": order.id.uuidString]))
            #expect(paid.status == .created, "\(paid.text)")
            #expect(paid.json["amount"] as? Int == -20_000)
            let noReason = try await client.send(.post, base + "/entries", token: token, body: client.json(["kind": "refund", "amount": 100, "method": "cash"]))
            #expect(noReason.status == .unprocessableContent && noReason.code == "missing_field")
            let statement = try await client.send(.get, base + "/statement", token: token)
            #expect(statement.json["closingBalance"] as? Int == 16_000)
            #expect((statement.json["lines"] as? [[String: Any]])?.map { $0["balance"] as? Int } == [36_000, 16_000])

            let badTax = try await client.send(.patch, base + "/profile", token: token, body: client.json(["taxNumber": "1234567891"]))
            #expect(badTax.status == .unprocessableContent, "\(badTax.text)")
            let profile = try await client.send(.patch, base + "/profile", token: token,
                                                body: client.json(["terms": "open", "creditLimit": 500_000, "taxNumber": "10000000146"]))
            #expect(profile.status == .ok, "\(profile.text)")
            #expect((profile.json["terms"] as? [String: Any])?["dueDays"] as? Int == 30)
            #expect(profile.headers[.eTag] == "\"1\"")
            let stale = try await client.send(.patch, base + "/profile", token: token, body: client.json(["collateral": "çek"]), headers: [.ifMatch: "\"0\""])
            #expect(stale.status == .preconditionFailed)

            let unset = try await client.send(.post, "/api/v1/orders/\(order.id.uuidString)/invoice", token: token)
            #expect(unset.status == .conflict && (unset.json["detail"] as? String ?? "").contains("invoice_title"))
            for (key, value) in [("invoice_title", "Örnek Temizleme Ltd. Şti."), ("invoice_tax_number", "3900892152"), ("invoice_tax_office", "Kadıköy"),
                                 ("invoice_city", "İstanbul")] {
                _ = try await harness.kernel.settingsService.change(key, to: .text(value), by: fixture.ownerPrincipal)
            }
            let issued = try await client.send(.post, "/api/v1/orders/\(order.id.uuidString)/invoice", token: token)
            #expect(issued.status == .created, "\(issued.text)")
            let id = try #require(issued.json["id"] as? String)
            #expect((issued.json["number"] as? String ?? "").hasPrefix("FTR"))
            #expect(((issued.json["document"] as? [String: Any])?["profile"] as? String) == "EARSIVFATURA")
            let pending = try await client.send(.get, "/api/v1/invoices/\(id)/xml", token: token)
            #expect(pending.status == .conflict, "the export job has not run")
            let page = try await client.send(.get, "/api/v1/invoices/\(id)/html", token: token)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8" && page.text.contains("360,00 TL"), "\(page.text)")
            let again = try await client.send(.post, "/api/v1/orders/\(order.id.uuidString)/invoice", token: token)
            #expect(again.status == .conflict)
            let month = try #require(issued.json["issueDate"] as? String).prefix(7)
            let listed = try await client.send(.get, "/api/v1/invoices?month=\(month)", token: token)
            #expect((listed.json["items"] as? [[String: Any]])?.count == 1)
            #expect(try await client.send(.get, "/api/v1/invoices?month=2026-13", token: token).status == .badRequest)
            let zip = try await client.send(.get, "/api/v1/invoice-archives/\(month)", token: token)
            #expect(zip.status == .ok && zip.headers[.contentType] == "application/zip")
            #expect(zip.headers[HTTPField.Name("X-Invoices-Pending")!] == "1")
        }
    }

    @Test("a statement mailing names a real month and only the tenant's customers, and is for accountants; a handover not paid for answers how much",
          arguments: [Engine.sqlite])
    func mailingAndHandover(engine: Engine) async throws {
        let harness = try await Self.harness(engine, bodyLimit: 1 << 20)      // the served default: room for 1,001 ids
        let fixture = try await TenantFixture.make(harness.kernel)
        let customer = try await fixture.customer(harness.kernel)
        let (desk, _) = try await fixture.addStaff(harness.kernel, role: .frontDesk)
        let order = try await harness.kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt")]),
                                                           by: fixture.ownerPrincipal)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let path = "/api/v1/account-statement-mailings"
            for (body, field) in [(#"{"month":"2026-13"}"#, "month"), (#"{}"#, "month"), (#"{"month":"2026-11","customerType":" "}"#, "customerType"),
                                  (#"{"month":"2026-11","customerType":null}"#, "customerType"),
                                  (#"{"month":"2026-11","customerIds":["\#(UUID().uuidString)"]}"#, "customerIds[0]"),
                                  (client.json(["month": "2026-11", "customerIds": (0...1_000).map { _ in UUID().uuidString }]), "customerIds")] {
                let refused = try await client.send(.post, path, token: token, body: body)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
                #expect((refused.json["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body): \(refused.text)")
            }
            let named = try await client.send(.post, path, token: token, body: client.json(["month": "2026-11", "customerIds": [customer.id.uuidString]]))
            #expect(named.status == .accepted, "\(named.text)")
            #expect(named.json["customers"] as? Int == 1 && named.json["queued"] as? Int == 1)
            let deskToken = try await client.login(fixture.tenant.slug, desk.email)
            #expect(try await client.send(.post, path, token: deskToken, body: #"{"month":"2026-11"}"#).status == .forbidden)

            // Handing the order over before it is paid: 409 with what is owed, in kuruş.
            for item in order.items {
                for stage in ["cleaning", "ready", "delivered"] {
                    let moved = try await client.send(.post, "/api/v1/tags/\(item.tag)/scan", token: token, body: client.json(["stage": stage]))
                    if stage == "delivered" {
                        #expect(moved.status == .conflict && moved.code == "payment_required", "\(moved.text)")
                        #expect(moved.json["amountDue"] as? [String] == ["12000"], "\(moved.text)")
                    } else {
                        #expect(moved.status == .ok, "\(moved.text)")
                    }
                }
            }
        }
    }
}
