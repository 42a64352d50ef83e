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
        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let catalog = try SettingsCatalog([NotifyModule.settings, LoyaltyModule.settings], registry: TestKernels.registry)
        var settings = TestKernels.settings(clock: KernelClock { clock.now })
        settings.secrets = try SecretBox(base64Key: SecretBox.generateKey())
        let database = try await TestDatabases.empty(engine)
        try await Migrator(database: database, logger: Logger(label: "test.migrate"))
            .migrate(QueueMigrations.all + TestKernels.registry.migrations + TestKernels.featureMigrations)
        let kernel = Kernel(database: database, registry: TestKernels.registry, settings: settings, subscribers: [LoyaltyModule.subscriber],
                            settingsCatalog: catalog, featureMigrations: TestKernels.featureMigrations)
        let tenant = try await TenantFixture.make(kernel)
        let owner = tenant.ownerPrincipal
        for (key, value) in [("netgsm_usercode", "8508400000"), ("netgsm_password", "gizli-parola"), ("netgsm_header", "KURUTEMIZ")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: owner)
        }
        _ = try await kernel.settingsService.change("loyalty_points_per_lira", to: .integer(1), by: owner)
        _ = try await kernel.settingsService.change("loyalty_points_expiry_months", to: .integer(1), by: owner)
        var configuration = NotifyConfiguration()
        configuration.netgsmURL = gateway.baseURL
        configuration.timeout = .seconds(5)
        let notify = try NotifyModule(kernel: kernel, configuration: configuration)
        let loyalty = LoyaltyModule(kernel: kernel)
        let fixture = LoyaltyFixture(kernel: kernel, loyalty: loyalty, tenant: tenant)

        let consenting = try await tenant.customer(kernel, name: "Ayşe Yılmaz")
        _ = try await notify.consent.record([ConsentChange(channel: .sms, purpose: .commercial, granted: true, source: .frontDesk)],
                                            customerID: consenting.id, by: owner)
        let silent = try await tenant.customer(kernel, name: "Can Öz")
        try await fixture.sale(consenting, [LineRequest(service: "coat")])                        // 400 points, lapsing in a month
        try await fixture.sale(silent, [LineRequest(service: "coat")])

        func dailyRun() async throws -> [NetgsmGateway.Sent] {
            _ = try await kernel.queue.enqueue(LoyaltyDailySweep(), options: JobOptions(queue: "reminders"))
            var worker = WorkerConfiguration(queues: ["reminders": 1, "notifications": 2])
            worker.pollInterval = .milliseconds(50)
            worker.maintenance = false
            let service = WorkerService(queue: kernel.queue, handlers: WorkerProcess.handlers(kernel: kernel, notify: notify), configuration: worker,
                                        logger: Logger(label: "test.worker"), backoff: Backoff(jitter: { 0 }))
            let task = Task { try await service.run() }
            let drained = try await eventually {
                for queue in ["reminders", "notifications"] {
                    let open = try await kernel.queue.jobs(state: nil, queue: queue, limit: 100)
                        .filter { JobState.pending.contains($0.state) || $0.state == .running }
                    if !open.isEmpty { return false }
                }
                return true
            }
            service.stop()
            try await task.value
            #expect(drained)
            return gateway.sent
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
