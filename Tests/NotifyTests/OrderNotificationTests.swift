import Contracts
import Foundation
import Kernel
import Notify
import Queue
import Storage
import Testing
import TestSupport

@Suite("Order messages over SMS (a local Netgsm gateway)")
struct OrderNotificationTests {
    @Test("an order taken to ready sends exactly one SMS, with the sector's text, and records it on the card", arguments: TestDatabases.engines)
    func readySendsOneSMS(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer()
        let order = try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        let sent = fixture.gateway.sent
        #expect(sent.count == 1)
        let expected = "Ayşe Hanım, \(order.number) numaralı siparişinizdeki halılar yıkandı ve teslimata hazır. \(fixture.tenant.tenant.name)"
        #expect(sent.first?.text == expected)
        #expect(sent.first?.number == "5321234567")
        #expect(sent.first?.header == "HALIYIKAMA")
        #expect(sent.first?.encoding == "TR", "the text has ş and ı")
        #expect(sent.first?.iysFilter == "0", "an order message is informational")
        #expect(sent.first?.authorization == "Basic " + Data("8508400000:gizli-parola".utf8).base64EncodedString())
        let record = try #require(try await fixture.messages(customer).first)
        #expect(record.channel == .sms && record.message == "stage.ready" && record.purpose == .transactional)
        #expect(record.text == expected && record.providerId == sent.first?.jobID && record.recipient == "+905321234567")
        #expect(record.encoding == "turkish" && record.segments == 1 && record.costUnits == 1 && record.attempts == 1)
    }

    @Test("without consent nothing is sent, and the card says why", arguments: TestDatabases.engines)
    func noConsentNothingSent(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer()
        _ = try await fixture.notify.consent.record([ConsentChange(channel: .sms, purpose: .transactional, granted: false, source: .frontDesk)],
                                                    customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        #expect(fixture.gateway.sent.isEmpty)
        let records = try await fixture.messages(customer)
        let sms = try #require(records.first { $0.channel == .sms })
        #expect(sms.status == .skipped && sms.reason == "the customer withdrew sms messages")
        #expect(records.allSatisfy { $0.status == .skipped })
    }

    @Test("a 500 from the gateway is retried, and the message then goes out once", arguments: TestDatabases.engines)
    func serverErrorRetriesThenSendsOnce(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        fixture.gateway.script(.httpStatus(500))
        let customer = try await fixture.customer()
        try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
        }
        #expect(fixture.gateway.sent.count == 1)
        let record = try #require(try await fixture.messages(customer).first)
        #expect(record.attempts == 2)
    }

    @Test("a permanent refusal is not retried and the message falls back to the next channel", arguments: TestDatabases.engines)
    func permanentErrorFallsBack(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        fixture.gateway.script(.code("40"))
        let customer = try await fixture.customer()
        try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        #expect(fixture.gateway.sent.isEmpty)
        let records = try await fixture.messages(customer)
        let sms = try #require(records.first { $0.channel == .sms })
        #expect(sms.status == .failed && sms.attempts == 1 && sms.reason?.contains("code 40") == true)
        // The next channels were tried in the tenant's order; neither is set up here, and the card says so.
        #expect(records.contains { $0.channel == .whatsapp && $0.status == .skipped })
    }
}

/// Waits for `condition` (what the worker does meanwhile) and records a failure if it never holds.
func expectEventually(_ seconds: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
                      _ condition: () async throws -> Bool) async throws {
    let held = try await eventually(seconds, condition)
    #expect(held, "the condition did not hold within \(seconds) s", sourceLocation: sourceLocation)
}

@Suite("A tenant's own wording of messages")
struct TemplateOverrideTests {
    @Test("the tenant's wording is used for the next message; a template with an unknown variable is refused", arguments: TestDatabases.engines)
    func ownWording(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        let owner = fixture.tenant.ownerPrincipal
        let refused = await #expect(throws: DomainError.self) {
            _ = try await fixture.notify.templateOverrides.set(message: "stage.ready", channel: nil, language: "tr",
                                                              TemplateChange(text: "{{musteri}}, hazır."), by: owner)
        }
        #expect(refused?.code == .invalidValue && refused?.message.contains("musteri") == true)
        let views = try await fixture.notify.templateOverrides.set(message: "stage.ready", channel: nil, language: "tr",
                                                                  TemplateChange(text: "Sayın {{customer}}, {{order}} hazır. {{#items}}{{tag}} {{/items}}"), by: owner)
        #expect(views.contains { $0.message == "stage.ready" && $0.language == "tr" && $0.custom })
        #expect(views.contains { $0.message == "stage.ready" && $0.language == "en" && !$0.custom })
        let customer = try await fixture.customer()
        let order = try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { fixture.gateway.sent.count == 1 }
        }
        #expect(fixture.gateway.sent.first?.text == "Sayın Ayşe Hanım, \(order.number) hazır. \(order.items.map(\.tag).joined(separator: " "))")
        // Back to the sector's wording.
        let reset = try await fixture.notify.templateOverrides.reset(message: "stage.ready", channel: nil, language: "tr", by: owner)
        #expect(reset.allSatisfy { !$0.custom })
    }
}
