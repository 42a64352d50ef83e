import Contracts
import Foundation
import Kernel
import Notify
import Queue
import Storage
import Testing
import TestSupport

/// A clock that starts at `start` and runs on with real time (so timestamps still advance).
func runningClock(from start: Date) -> Clock {
    let origin = Date()
    return Clock { start.addingTimeInterval(Date().timeIntervalSince(origin)) }
}

/// 12:00 and 22:00 in Istanbul (UTC+3) on a June day.
let istanbulNoon = Date(timeIntervalSince1970: 1_781_514_000)
let istanbulTenAtNight = istanbulNoon.addingTimeInterval(10 * 3600)

@Suite("Commercial messages, delivery reports and SMS opt-out (a local Netgsm gateway)")
struct CommercialAndReportTests {
    @Test("a delivery report marks the message delivered; an undeliverable one fails it (each number of a job on its own)",
          arguments: TestDatabases.engines)
    func deliveryReports(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        let first = try await fixture.customer()
        let second = try await fixture.customer(name: "Mehmet Demir", salutation: "bey", phone: "0533 765 43 21")
        try await fixture.orderMadeReady(for: first)
        try await fixture.orderMadeReady(for: second)
        try await fixture.working {
            try await expectEventually { fixture.gateway.sent.count == 2 }
            try await expectEventually { try await fixture.pendingJobs() == 0 }
            // Sent in one request or two: the report answers per job and number either way.
            let firstJob = try #require(try await fixture.messages(first).first?.providerId)
            let secondJob = try #require(try await fixture.messages(second).first?.providerId)
            fixture.gateway.setStatus(jobID: firstJob, number: "5321234567", 1)
            fixture.gateway.setStatus(jobID: secondJob, number: "5337654321", 3)
            _ = try await fixture.kernel.queue.enqueue(NetgsmPollAll(), options: JobOptions(queue: fixture.queueName))
            try await expectEventually { try await fixture.messages(first).first?.status == .delivered }
            try await expectEventually { try await fixture.messages(second).first { $0.channel == .sms }?.status == .failed }
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        #expect(fixture.gateway.reportCalls == 1)
        let failed = try #require(try await fixture.messages(second).first { $0.channel == .sms })
        #expect(failed.reason == "Netgsm: wrong or restricted number")
        #expect(try await fixture.messages(first).first?.deliveredAt != nil)
    }

    @Test("a poll asks about at most 500 jobs; the next asks first about the one left out, then the longest-waiting",
          arguments: TestDatabases.engines)
    func reportPollsTakeTurns(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer()
        let tenant = fixture.tenant.tenant.id
        // 501 Netgsm jobs awaiting their report, each of one message, sent a second apart.
        let start = Date().addingTimeInterval(-3600)
        try await fixture.kernel.database.transaction(.tenant(tenant)) { sql in
            for n in 0..<501 {
                let at = start.addingTimeInterval(Double(n))
                try await sql.raw("""
                    INSERT INTO notify_messages (tenant_id, id, dedupe_key, customer_id, message, purpose, channel, recipient, status,
                                                 provider, provider_id, attempts, created_at, updated_at, sent_at)
                    VALUES (\(bind: tenant), \(bind: UUID()), \(bind: "test:\(n)"), \(bind: customer.id), 'stage.ready', 'transactional', 'sms',
                            '+905321234567', 'sent', 'netgsm', \(bind: String(format: "job%04d", n)), 1, \(bind: at), \(bind: at), \(bind: at))
                    """).run()
            }
        }
        func poll() async throws {
            let calls = fixture.gateway.reportCalls
            try await fixture.working {
                _ = try await fixture.kernel.queue.enqueue(NetgsmPollAll(), options: JobOptions(queue: fixture.queueName))
                try await expectEventually { fixture.gateway.reportCalls == calls + 5 }
                try await expectEventually { try await fixture.pendingJobs() == 0 }
            }
        }
        func polls() async throws -> Int {
            try await fixture.kernel.database.read(.tenant(tenant)) { sql in
                try await sql.raw("SELECT count(*) AS n FROM notify_report_polls").first(decodingColumn: "n", as: Int.self) ?? -1
            }
        }
        func touched() async throws -> Int {
            try await fixture.kernel.database.read(.tenant(tenant)) { sql in
                try await sql.raw("SELECT count(*) AS n FROM notify_messages WHERE updated_at <> sent_at").first(decodingColumn: "n", as: Int.self) ?? -1
            }
        }
        // A poll row far older than the report window goes with the next poll.
        try await fixture.kernel.database.transaction(.tenant(tenant)) { sql in
            try await sql.raw("""
                INSERT INTO notify_report_polls (tenant_id, provider, provider_id, polled_at)
                VALUES (\(bind: tenant), 'netgsm', 'job-long-gone', \(bind: start.addingTimeInterval(-5 * 86_400)))
                """).run()
        }
        try await poll()
        #expect(try await polls() == 500, "one row per job asked about; the old one dropped")
        #expect(try await touched() == 0, "the messages themselves are not rewritten")
        let first = fixture.gateway.reportRequests
        #expect(first.map(\.count) == [100, 100, 100, 100, 100])
        #expect(first.first?.first == "job0000" && !first.joined().contains("job0500"))  // the oldest first
        try await poll()
        let second = Array(fixture.gateway.reportRequests.dropFirst(5))
        // The job left out comes first, then those asked about before, oldest first.
        #expect(second.first?.prefix(2) == ["job0500", "job0000"])
        #expect(second.joined().count == 500 && !second.joined().contains("job0499"))
    }

    @Test("a commercial SMS needs consent and İYS filtering; an RET reply stops the next one", arguments: TestDatabases.engines)
    func optOutStopsNextCommercial(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "promowash", clock: runningClock(from: istanbulNoon))
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer(name: "Mehmet Demir", salutation: "bey")
        let unconsented = try await fixture.customer(name: "Can Öz", salutation: nil)
        _ = try await fixture.notify.consent.record([ConsentChange(channel: .sms, purpose: .commercial, granted: true, source: .frontDesk)],
                                                    customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        try await fixture.orderMadeReady(for: customer, until: "collected")
        try await fixture.orderMadeReady(for: unconsented, until: "collected")
        try await fixture.working {
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        let commercial = fixture.gateway.sent.filter { $0.iysFilter == "11" }
        #expect(commercial.count == 1 && commercial.first?.text.hasPrefix("Mehmet Bey, teşekkürler!") == true)
        #expect(try await fixture.messages(unconsented).first { $0.message == "stage.collected" && $0.channel == .sms }?.reason
                == "no commercial consent for sms")

        // "RET" from the customer's phone, read from the inbox by the next poll.
        fixture.gateway.receive(from: "905321234567", "RET")
        try await fixture.working {
            _ = try await fixture.kernel.queue.enqueue(NetgsmPollAll(), options: JobOptions(queue: fixture.queueName))
            try await expectEventually {
                try await fixture.notify.consent.current(customerID: customer.id, by: fixture.tenant.ownerPrincipal)
                    .first { $0.channel == .sms && $0.purpose == .commercial }?.allowed == false
            }
            try await fixture.orderMadeReady(for: customer, until: "collected")
            try await expectEventually { try await fixture.pendingJobs() == 0 }
        }
        #expect(fixture.gateway.sent.filter { $0.iysFilter == "11" }.count == 1, "no second commercial message")
        let skipped = try await fixture.messages(customer).filter { $0.message == "stage.collected" && $0.channel == .sms && $0.status == .skipped }
        #expect(skipped.count == 1 && skipped.first?.reason == "no commercial consent for sms")
        let history = try await fixture.notify.consent.history(customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        #expect(history.last?.source == .smsReply && history.last?.granted == false && history.last?.note == "reply: RET")
    }

    @Test("a commercial message waits out the quiet hours (21:00–09:00 tenant time); a transactional one does not", arguments: TestDatabases.engines)
    func quietHours(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "promowash", clock: runningClock(from: istanbulTenAtNight))
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer(name: "Mehmet Demir", salutation: "bey")
        _ = try await fixture.notify.consent.record([ConsentChange(channel: .sms, purpose: .commercial, granted: true, source: .frontDesk)],
                                                    customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        try await fixture.orderMadeReady(for: customer, until: "collected")
        try await fixture.working {
            try await expectEventually { fixture.gateway.sent.count == 1 }
            try await expectEventually {
                try await fixture.kernel.queue.jobs(state: .scheduled, queue: fixture.queueName, limit: 10).count == 1
            }
        }
        #expect(fixture.gateway.sent.map(\.iysFilter) == ["0"], "the transactional 'washed' message went out at night")
        let deferred = try #require(try await fixture.kernel.queue.jobs(state: .scheduled, queue: fixture.queueName, limit: 10).first)
        // Snoozed until 09:00 Istanbul: eleven hours from 22:00.
        let wait = deferred.runAt.timeIntervalSinceNow
        #expect(wait > 10.9 * 3600 && wait < 11.01 * 3600, "waits until 09:00, not \(wait / 3600) h")
        #expect(deferred.attempt == 0 || deferred.errors.isEmpty)
    }
}
