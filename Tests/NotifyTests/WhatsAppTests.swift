import Contracts
import Crypto
import Foundation
import Kernel
import Notify
import Queue
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("WhatsApp: templates, fallback and the signed webhook (a local Graph API)")
struct WhatsAppTests {
    static func signed(_ body: String, secret: String = NotifyFixture.appSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func statusNotification(id: String, status: String, errorCode: Int? = nil) -> String {
        let errors = errorCode.map { #","errors":[{"code":\#($0),"title":"Message undeliverable","error_data":{"details":"not on WhatsApp"}}]"# } ?? ""
        return #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"908508400000","phone_number_id":"106540352242922"},"statuses":[{"id":"\#(id)","status":"\#(status)","timestamp":"1764583200","recipient_id":"905321234567"\#(errors)}]}}]}]}"#
    }

    @Test("a permanent SMS refusal falls back to WhatsApp's approved template, not retried on SMS", arguments: TestDatabases.engines)
    func permanentSMSFallsBackToWhatsApp(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        fixture.gateway.script(.code("40"))
        let customer = try await fixture.customer()
        let order = try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).contains { $0.channel == .whatsapp && $0.status == .sent } }
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        #expect(fixture.gateway.sent.isEmpty)
        let sent = try #require(fixture.graph.sent.first)
        #expect(fixture.graph.sent.count == 1)
        #expect(sent.path == "/v23.0/106540352242922/messages" && sent.authorization == "Bearer EAAG-test-token")
        #expect(sent.to == "+905321234567" && sent.type == "template" && sent.templateName == "carpet_ready" && sent.language == "tr")
        #expect(sent.parameters == ["Ayşe Hanım", order.number, fixture.tenant.tenant.name])
        let records = try await fixture.messages(customer)
        #expect(records.first { $0.channel == .sms }?.status == .failed)
        #expect(records.first { $0.channel == .whatsapp }?.providerId == sent.id)
    }

    @Test("status webhooks move the message on; a bad signature is refused and changes nothing", arguments: TestDatabases.engines)
    func webhookStatuses(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        let customer = try await fixture.customer(channel: "whatsapp")
        try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
        }
        let wamid = try #require(fixture.graph.sent.first?.id)
        let webhook = fixture.notify.whatsAppWebhook
        let tenant = fixture.tenant.tenant.id

        let delivered = Self.statusNotification(id: wamid, status: "delivered")
        await #expect(throws: WhatsAppWebhook.Refusal.forbidden) {
            _ = try await webhook.receive(tenantID: tenant, body: Data(delivered.utf8), signature: Self.signed(delivered, secret: "not-the-secret"))
        }
        await #expect(throws: WhatsAppWebhook.Refusal.forbidden) {
            _ = try await webhook.receive(tenantID: tenant, body: Data(delivered.utf8), signature: nil)
        }
        let tampered = delivered.replacingOccurrences(of: "delivered", with: "read")
        await #expect(throws: WhatsAppWebhook.Refusal.forbidden) {
            _ = try await webhook.receive(tenantID: tenant, body: Data(tampered.utf8), signature: Self.signed(delivered))
        }
        #expect(try await fixture.messages(customer).first?.status == .sent)

        let outcome = try await webhook.receive(tenantID: tenant, body: Data(delivered.utf8), signature: Self.signed(delivered))
        #expect(outcome.statuses == 1)
        let afterDelivery = try #require(try await fixture.messages(customer).first)
        #expect(afterDelivery.status == .delivered && afterDelivery.deliveredAt != nil)
        let read = Self.statusNotification(id: wamid, status: "read")
        _ = try await webhook.receive(tenantID: tenant, body: Data(read.utf8), signature: Self.signed(read))
        #expect(try await fixture.messages(customer).first?.status == .read)

        // The handshake answers the challenge only with the tenant's verify token.
        #expect(try await webhook.verify(tenantID: tenant, mode: "subscribe", token: "dogrulama-123", challenge: "1158201444") == "1158201444")
        await #expect(throws: WhatsAppWebhook.Refusal.forbidden) {
            _ = try await webhook.verify(tenantID: tenant, mode: "subscribe", token: "wrong", challenge: "1158201444")
        }
    }

    @Test("statuses that come before the send is recorded wait for it: delivered and read apply, failed goes on to SMS", arguments: TestDatabases.engines)
    func statusesBeforeTheSend(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        let webhook = fixture.notify.whatsAppWebhook
        let tenant = fixture.tenant.tenant.id
        func notify(_ body: String) async throws -> WhatsAppWebhook.Outcome {
            try await webhook.receive(tenantID: tenant, body: Data(body.utf8), signature: Self.signed(body))
        }
        // The local Graph API numbers its messages wamid.TEST2, wamid.TEST3, …: these statuses are
        // for sends not yet on record, as when Meta calls the webhook before the worker records its answer.
        for early in [Self.statusNotification(id: "wamid.TEST2", status: "read"), Self.statusNotification(id: "wamid.TEST2", status: "delivered"),
                      Self.statusNotification(id: "wamid.TEST2", status: "delivered"),
                      Self.statusNotification(id: "wamid.TEST3", status: "failed", errorCode: 131026)] {
            #expect(try await notify(early).statuses == 0)
        }
        let first = try await fixture.customer(channel: "whatsapp")
        try await fixture.orderMadeReady(for: first)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(first).first?.status == .read }
        }
        #expect(try await fixture.messages(first).first?.deliveredAt != nil)

        let second = try await fixture.customer(name: "Fatma Kaya", channel: "whatsapp")
        try await fixture.orderMadeReady(for: second)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(second).contains { $0.channel == .sms && $0.status == .sent } }
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        let whatsApp = try #require(try await fixture.messages(second).first { $0.channel == .whatsapp })
        #expect(whatsApp.status == .failed && whatsApp.reason?.contains("131026") == true)
        #expect(fixture.graph.sent.map(\.id) == ["wamid.TEST2", "wamid.TEST3"] && fixture.gateway.sent.count == 1)
        let waiting = try await fixture.kernel.database.read(.tenant(tenant)) { sql in
            try await sql.raw("SELECT count(*) AS n FROM notify_whatsapp_early").first(decodingColumn: "n", as: Int.self) ?? -1
        }
        #expect(waiting == 0)
    }

    @Test("a failure reported later by webhook sends the message on the next channel, once", arguments: TestDatabases.engines)
    func asynchronousFailureFallsBack(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        let customer = try await fixture.customer(channel: "whatsapp")
        try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
            let wamid = try #require(fixture.graph.sent.first?.id)
            let failed = Self.statusNotification(id: wamid, status: "failed", errorCode: 131026)
            _ = try await fixture.notify.whatsAppWebhook.receive(tenantID: fixture.tenant.tenant.id, body: Data(failed.utf8), signature: Self.signed(failed))
            try await expectEventually { try await fixture.messages(customer).contains { $0.channel == .sms && $0.status == .sent } }
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        #expect(fixture.graph.sent.count == 1 && fixture.gateway.sent.count == 1)
        let whatsApp = try #require(try await fixture.messages(customer).first { $0.channel == .whatsapp })
        #expect(whatsApp.status == .failed && whatsApp.reason?.contains("131026") == true)
    }

    @Test("a customer's IPTAL on WhatsApp withdraws commercial consent at once, and is recorded", arguments: TestDatabases.engines)
    func inboundOptOut(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        let customer = try await fixture.customer()
        _ = try await fixture.notify.consent.record([ConsentChange(channel: .whatsapp, purpose: .commercial, granted: true, source: .webForm)],
                                                    customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        let body = #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"908508400000","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Ayşe"},"wa_id":"905321234567"}],"messages":[{"from":"905321234567","id":"wamid.IN1","timestamp":"1764583200","type":"text","text":{"body":"İptal"}}]}}]}]}"#
        let outcome = try await fixture.notify.whatsAppWebhook.receive(tenantID: fixture.tenant.tenant.id, body: Data(body.utf8), signature: Self.signed(body))
        #expect(outcome.inbound == 1 && outcome.optOuts == 1)
        let states = try await fixture.notify.consent.current(customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        #expect(states.first { $0.channel == .whatsapp && $0.purpose == .commercial }?.allowed == false)
        #expect(states.first { $0.channel == .whatsapp && $0.purpose == .transactional }?.allowed == true)
        let history = try await fixture.notify.consent.history(customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        #expect(history.last?.source == .whatsAppReply && history.last?.actor == "customer" && history.last?.granted == false)
    }
}

extension WhatsAppTests {
    @Test("a signed notification about another business's number changes nothing here (tenants sharing a Meta app)")
    func otherNumberIgnored() async throws {
        let fixture = try await NotifyFixture.make(.sqlite)
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        let customer = try await fixture.customer()
        _ = try await fixture.notify.consent.record([ConsentChange(channel: .whatsapp, purpose: .commercial, granted: true, source: .webForm)],
                                                    customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        let body = #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"902120000000","phone_number_id":"999999999"},"messages":[{"from":"905321234567","id":"wamid.IN2","timestamp":"1764583200","type":"text","text":{"body":"STOP"}}]}}]}]}"#
        let outcome = try await fixture.notify.whatsAppWebhook.receive(tenantID: fixture.tenant.tenant.id, body: Data(body.utf8), signature: Self.signed(body))
        #expect(outcome.inbound == 0 && outcome.optOuts == 0)
        let states = try await fixture.notify.consent.current(customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        #expect(states.first { $0.channel == .whatsapp && $0.purpose == .commercial }?.allowed == true)
    }
}
