import Contracts
import Foundation
import Kernel
import Logging
import Loyalty
import Notify
import Queue
import Storage
import Testing
import TestSupport
import Workers

@Suite("Reminders before points lapse")
struct PointsReminderTests {
    @Test("the lot about to lapse is reminded of once, by commercial SMS, only with commercial consent; spent points are not", arguments: TestDatabases.engines)
    func remindsOnce(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let messaging = try await MessagingFixture.make(engine, clock: clock)
        defer { Task { await messaging.stop() } }
        let (kernel, notify, loyalty, owner) = (messaging.kernel, messaging.notify, messaging.loyalty, messaging.owner)
        let fixture = messaging.points
        _ = try await kernel.settingsService.change("loyalty_points_per_lira", to: .integer(1), by: owner)
        _ = try await kernel.settingsService.change("loyalty_points_expiry_months", to: .integer(1), by: owner)

        let consenting = try await messaging.customer("Ayşe Yılmaz", phone: "0532 123 45 67", consenting: true)
        let silent = try await messaging.customer("Can Öz", phone: "0532 123 45 68", consenting: false)
        try await fixture.sale(consenting, [LineRequest(service: "coat")])                        // 400 points, lapsing in a month
        try await fixture.sale(silent, [LineRequest(service: "coat")])

        func dailyRun() async throws -> [NetgsmGateway.Sent] {
            _ = try await kernel.queue.enqueue(LoyaltyDailySweep(), options: JobOptions(queue: "reminders"))
            return try await messaging.drain()
        }
        clock.advance(days: 10)
        #expect(try await dailyRun().isEmpty, "three weeks before the lapse: outside the 7 days")
        clock.advance(days: 15)
        let sent = try await dailyRun()
        #expect(sent.count == 1, "\(sent)")
        #expect(sent.first?.text.hasPrefix("Ayşe Yılmaz, 400 puanınız") == true && sent.first?.iysFilter == "11", "\(sent)")
        let skipped = try await notify.messages.list(customerID: silent.id, limit: 10, by: owner)
        #expect(Set(skipped.compactMap(\.reason)) == Set(["sms", "whatsapp", "email"].map { "no commercial consent for \($0)" }),
                "every channel passed over, with its reason: \(skipped)")
        clock.advance(days: 1)
        #expect(try await dailyRun().count == 1, "a lot is reminded of once")
        try await fixture.sale(consenting, [LineRequest(service: "shirt")])                       // a new lot, lapsing in a month
        _ = try await loyalty.points.redeem(RedemptionInput(points: 520), customerID: consenting.id, by: owner)
        clock.advance(days: 26)
        #expect(try await dailyRun().count == 1, "spent points are not reminded of")
    }
}
