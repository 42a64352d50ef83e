import Contracts
import Foundation
import Kernel
import Loyalty
import Notify
import Queue
import Storage
import Testing
import TestSupport

@Suite("Campaigns")
struct CampaignTests {
    /// `hour` o'clock in Istanbul (UTC+3), three days ahead: runs planned from it are ahead of the
    /// queue's own time too (the queue keeps the database's clock, not the kernel's).
    static func istanbul(hour: Int) -> Date {
        let midnight = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: midnight + 3 * 86_400 + Double(hour - 3) * 3_600)
    }

    static let text = "Merhaba {{customer}}, bu hafta tüm kurutemizlemede %20 indirim! {{points}} puanınız var. {{business}}"

    @Test("a campaign reaches, by name, only customers with commercial consent; the others are skipped with the reason; the report counts each once",
          arguments: TestDatabases.engines)
    func consentAndReport(engine: Engine) async throws {
        let clock = SteppingClock(Self.istanbul(hour: 12))                // outside the quiet hours
        let messaging = try await MessagingFixture.make(engine, clock: clock)
        defer { Task { await messaging.stop() } }
        let ahmet = try await messaging.customer("Ahmet Kaya", phone: "0532 111 22 33", salutation: "bey", consenting: true)
        let ayse = try await messaging.customer("Ayşe Yılmaz", phone: "0532 444 55 66", salutation: "hanim", consenting: false)
        let corporate = try await messaging.kernel.customers.create(CustomerDraft(name: "Deniz Lojistik", phones: [PhoneInput(number: "0533 777 88 99")],
                                                                                  customerType: "corporate"), by: messaging.owner)
        _ = try await messaging.loyalty.points.load(PointsLoadInput(customerIds: [ahmet.id], points: 120, reason: "hoş geldin"), by: messaging.owner)
        let campaigns = messaging.loyalty.campaigns

        let campaign = try await campaigns.create(CampaignInput(name: "Kasım indirimi", text: Self.text, channel: "sms",
                                                                audience: CampaignAudience(customerType: "retail")), by: messaging.owner)
        #expect(campaign.status == .active && campaign.runs == 0 && campaign.nextRunAt == clock.now)
        let sent = try await messaging.drain()
        #expect(sent.map(\.number) == ["5321112233"], "one SMS, to the consenting customer only: \(sent)")
        #expect(sent.first?.text.hasPrefix("Merhaba Ahmet Bey, bu hafta tüm kurutemizlemede %20 indirim! 120 puanınız var.") == true, "\(sent)")
        #expect(sent.first?.iysFilter == "11", "a commercial message goes with İYS filtering")
        let skipped = try await messaging.notify.messages.list(customerID: ayse.id, limit: 10, by: messaging.owner)
        #expect(skipped.map(\.status) == [.skipped] && skipped.map(\.reason) == ["no commercial consent for sms"], "\(skipped)")
        #expect(try await messaging.notify.messages.list(customerID: corporate.id, limit: 10, by: messaging.owner).isEmpty,
                "outside the audience: nothing on the card")

        _ = try await messaging.notify.consent.record([ConsentChange(channel: .sms, purpose: .commercial, granted: false, source: .smsReply)],
                                                      customerID: ahmet.id, by: messaging.owner)
        let report = try await campaigns.report(campaign.id, by: messaging.owner)
        let counts = [report.runs, report.targeted, report.queued, report.sent, report.delivered, report.failed, report.skippedConsent,
                      report.skipped, report.optedOut]
        #expect(report.campaignId == campaign.id && counts == [1, 2, 0, 1, 0, 0, 1, 0, 1], "runs, targeted, queued, sent, delivered, failed, skipped for consent, skipped, opted out: \(report)")
        #expect(try await campaigns.find(campaign.id, by: messaging.owner).status == .finished)
        #expect(try await messaging.drain().count == 1, "a run is made once: nothing more goes")

        // The screen's list reads every campaign's report at once: each with its own counts.
        let winBack = try await campaigns.create(CampaignInput(name: "Geri kazanım", text: "Merhaba {{customer}}",
                                                               audience: CampaignAudience(inactiveDays: 30)), by: messaging.owner)
        _ = try await messaging.drain()
        let listed = try await campaigns.listWithReports(by: messaging.owner, limit: 50)
        #expect(Set(listed.map(\.campaign.id)) == [winBack.id, campaign.id])
        for (listedCampaign, listedReport) in listed {
            #expect(listedReport == (listedCampaign.id == campaign.id ? report : try await campaigns.report(winBack.id, by: messaging.owner)))
        }
        #expect(try await campaigns.report(winBack.id, by: messaging.owner).targeted != report.targeted, "the two differ, so a mix-up shows")
    }

    @Test("inside the quiet hours a campaign's messages wait until 09:00 tenant time; a repeating campaign plans its next run; a cancelled one sends nothing more",
          arguments: TestDatabases.engines)
    func quietHoursAndSchedule(engine: Engine) async throws {
        let clock = SteppingClock(Self.istanbul(hour: 22))
        let messaging = try await MessagingFixture.make(engine, clock: clock)
        defer { Task { await messaging.stop() } }
        _ = try await messaging.customer("Mehmet Demir", phone: "0532 111 22 33", salutation: "bey", consenting: true)
        let campaigns = messaging.loyalty.campaigns
        let weekly = try await campaigns.create(CampaignInput(name: "Haftalık", text: "Merhaba {{customer}}", repeatDays: 7), by: messaging.owner)
        #expect(try await messaging.drain().isEmpty, "nothing goes at night")
        let waiting = try await messaging.kernel.queue.jobs(state: .scheduled, queue: "notifications", limit: 10)
        #expect(waiting.map(\.kind) == [CampaignMessageJob.kind])
        let wait = try #require(waiting.first).runAt.timeIntervalSinceNow
        #expect(wait > 10.9 * 3_600 && wait < 11.01 * 3_600, "waits until 09:00, not \(wait / 3_600) h")
        let report = try await campaigns.report(weekly.id, by: messaging.owner)
        #expect(report.targeted == 1 && report.queued == 1 && report.sent == 0, "\(report)")
        let planned = try await campaigns.find(weekly.id, by: messaging.owner)
        #expect(planned.status == .active && planned.runs == 1 && planned.nextRunAt == clock.now.addingTimeInterval(7 * 86_400))
        let nextRun = try await messaging.kernel.queue.jobs(state: .scheduled, queue: "reminders", limit: 10)
        #expect(nextRun.map(\.kind) == [CampaignRunJob.kind], "the second run waits for its day")

        let cancelled = try await campaigns.cancel(weekly.id, by: messaging.owner)
        #expect(cancelled.status == .cancelled && cancelled.nextRunAt == nil)
        #expect(try await campaigns.cancel(weekly.id, by: messaging.owner) == cancelled, "cancelling again changes nothing")
    }

    @Test("a campaign is for the owner and branch managers (their branch's customers); its wording, audience and schedule are checked",
          arguments: [Engine.sqlite])
    func refusals(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock)
        let campaigns = fixture.loyalty.campaigns
        func refused(_ input: CampaignInput, by principal: Principal? = nil) async -> DomainError? {
            do {
                _ = try await campaigns.create(input, by: principal ?? fixture.owner)
                return nil
            } catch { return error as? DomainError }
        }
        func fields(_ error: DomainError?) -> [String] { error?.fields.map(\.field) ?? [] }
        #expect(fields(await refused(CampaignInput(name: nil, text: nil))) == ["name", "text"])
        #expect(fields(await refused(CampaignInput(name: "x", text: "Siparişiniz {{order}} hazır"))) == ["text"], "an order's variable")
        #expect(fields(await refused(CampaignInput(name: "x", text: "Merhaba {{#customer}"))) == ["text"], "does not parse")
        #expect(fields(await refused(CampaignInput(name: "x", text: String(repeating: "ş", count: 1_001)))) == ["text"])
        #expect(fields(await refused(CampaignInput(name: " ", text: "   "))) == ["name", "text"])
        #expect(fields(await refused(CampaignInput(name: "x", text: "y", channel: "fax"))) == ["channel"])
        #expect(fields(await refused(CampaignInput(name: "x", text: "y", startsAt: clock.now.addingTimeInterval(-3_600)))) == ["startsAt"])
        #expect(fields(await refused(CampaignInput(name: "x", text: "y", startsAt: clock.now.addingTimeInterval(400 * 86_400)))) == ["startsAt"])
        #expect(fields(await refused(CampaignInput(name: "x", text: "y", repeatDays: 0))) == ["repeatDays"])
        #expect(fields(await refused(CampaignInput(name: "x", text: "y", audience: CampaignAudience(inactiveDays: 0)))) == ["audience.inactiveDays"])
        #expect(await refused(CampaignInput(name: "x", text: "y", audience: CampaignAudience(customerType: "gold")))?.code == .unknownCustomerType)
        #expect(await refused(CampaignInput(name: "x", text: "y", audience: CampaignAudience(branchId: UUID())))?.code == .unknownBranch)

        let frontDesk = try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk)
        let manager = try await fixture.tenant.addStaff(fixture.kernel, role: .branchManager)
        let desk = fixture.tenant.principal(frontDesk.user)
        let boss = fixture.tenant.principal(manager.user)
        let forbidden = await refused(CampaignInput(name: "x", text: "y"), by: desk)
        #expect(forbidden?.code == .forbidden && forbidden?.message == "Only the owner or a branch manager may run campaigns.")
        #expect(fields(await refused(CampaignInput(name: "x", text: "y", audience: CampaignAudience(branchId: fixture.tenant.branch.id)), by: boss))
                == ["audience.branchId"])
        let own = try await campaigns.create(CampaignInput(name: "Şube", text: "Merhaba {{customer}}"), by: boss)
        clock.advance(days: 1.0 / 86_400)
        #expect(own.audience.branchId == manager.branch.id, "a branch manager's campaign is for their branch")
        let mine = try await campaigns.create(CampaignInput(name: "Genel", text: "Merhaba {{customer}}"), by: fixture.owner)
        #expect(try await campaigns.list(by: boss).map(\.id) == [own.id])
        #expect(try await campaigns.list(by: fixture.owner).map(\.id) == [mine.id, own.id])
        await #expect { try await campaigns.report(mine.id, by: boss) } throws: { ($0 as? DomainError)?.code == .notFound }
        await #expect { try await campaigns.list(by: desk) } throws: { ($0 as? DomainError)?.code == .forbidden }
    }
}
