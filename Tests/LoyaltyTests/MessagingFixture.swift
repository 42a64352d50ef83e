import Contracts
import Foundation
import Kernel
import Logging
import Loyalty
import Notify
import Queue
import Storage
import TestSupport
import Workers

/// A loyalty kernel whose messages go out: Notify sending SMS through a local Netgsm gateway, and
/// a worker process's handlers run until the queues are drained.
struct MessagingFixture {
    let gateway: NetgsmGateway
    let kernel: Kernel
    let notify: NotifyModule
    let loyalty: LoyaltyModule
    let tenant: TenantFixture

    var owner: Principal { tenant.ownerPrincipal }
    var points: LoyaltyFixture { LoyaltyFixture(kernel: kernel, loyalty: loyalty, tenant: tenant) }

    static func make(_ engine: Engine, clock: SteppingClock) async throws -> MessagingFixture {
        let gateway = try await NetgsmGateway.start()
        let catalog = try SettingsCatalog([NotifyModule.settings, LoyaltyModule.settings], registry: TestKernels.registry)
        var settings = TestKernels.settings(clock: KernelClock { clock.now })
        settings.secrets = try SecretBox(base64Key: SecretBox.generateKey())
        let database = try await TestDatabases.empty(engine)
        try await Migrator(database: database, logger: Logger(label: "test.migrate"))
            .migrate(QueueMigrations.all + TestKernels.registry.migrations + TestKernels.featureMigrations)
        let kernel = Kernel(database: database, registry: TestKernels.registry, settings: settings, subscribers: [LoyaltyModule.subscriber],
                            settingsCatalog: catalog, featureMigrations: TestKernels.featureMigrations)
        let tenant = try await TenantFixture.make(kernel)
        for (key, value) in [("netgsm_usercode", "8508400000"), ("netgsm_password", "gizli-parola"), ("netgsm_header", "KURUTEMIZ")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: tenant.ownerPrincipal)
        }
        var configuration = NotifyConfiguration()
        configuration.netgsmURL = gateway.baseURL
        configuration.timeout = .seconds(5)
        return MessagingFixture(gateway: gateway, kernel: kernel, notify: try NotifyModule(kernel: kernel, configuration: configuration),
                                loyalty: LoyaltyModule(kernel: kernel), tenant: tenant)
    }

    func stop() async { await gateway.stop() }

    /// A customer with their own mobile number, and commercial SMS consent when `consenting`.
    func customer(_ name: String, phone: String, salutation: String? = nil, consenting: Bool) async throws -> Customer {
        let customer = try await kernel.customers.create(CustomerDraft(name: name, phones: [PhoneInput(number: phone)], salutation: salutation), by: owner)
        if consenting {
            _ = try await notify.consent.record([ConsentChange(channel: .sms, purpose: .commercial, granted: true, source: .frontDesk)],
                                                customerID: customer.id, by: owner)
        }
        return customer
    }

    /// Runs the worker's handlers until no job on the reminders and notifications queues is ready
    /// or running (jobs waiting for a later time stay); what the gateway has taken so far.
    func drain() async throws -> [NetgsmGateway.Sent] {
        var worker = WorkerConfiguration(queues: ["reminders": 1, "notifications": 2])
        worker.pollInterval = .milliseconds(50)
        worker.maintenance = false
        let service = WorkerService(queue: kernel.queue, handlers: WorkerProcess.handlers(kernel: kernel, notify: notify), configuration: worker,
                                    logger: Logger(label: "test.worker"), backoff: Backoff(jitter: { 0 }))
        let task = Task { try await service.run() }
        let drained = try await eventually {
            for queue in ["reminders", "notifications"] {
                let open = try await kernel.queue.jobs(state: nil, queue: queue, limit: 1000)
                    .filter { [.available, .retryable, .running].contains($0.state) }
                if !open.isEmpty { return false }
            }
            return true
        }
        service.stop()
        try await task.value
        guard drained else { throw DrainTimeout() }
        return gateway.sent
    }

    struct DrainTimeout: Error {}
}
