import Contracts
import Foundation
import Kernel
import Logging
import Notify
import Queue
import Storage
import TestSupport
import Workers

/// A kernel with the notification module, a tenant whose SMS account points at a local Netgsm
/// gateway, and a worker on a queue of this test's own.
struct NotifyFixture {
    let kernel: Kernel
    let notify: NotifyModule
    let tenant: TenantFixture
    let queueName: String
    let gateway: NetgsmGateway
    let graph: GraphAPIServer
    static let appSecret = "meta-app-secret"
    /// The shipped sectors and one whose delivery message is commercial.
    static let registry = try! ModuleRegistry(TestKernels.modules + [PromoWashModule()])

    static func make(_ engine: Engine, sector: String = "carpet", clock: Clock = .system, smtp: SMTPPeer? = nil) async throws -> NotifyFixture {
        let queueName = "notify-" + UUID().uuidString.prefix(8).lowercased()
        var settings = TestKernels.settings(clock: clock)
        settings.secrets = try SecretBox(base64Key: SecretBox.generateKey())
        let catalog = try SettingsCatalog([NotifyModule.settings], registry: registry)
        let kernel = try await TestKernels.make(engine, settings: settings, registry: registry, subscribers: [NotifySubscriber(queue: queueName)],
                                                settingsCatalog: catalog)
        let gateway = try await NetgsmGateway.start()
        let graph = try await GraphAPIServer.start()
        var configuration = NotifyConfiguration()
        configuration.netgsmURL = gateway.baseURL
        configuration.whatsAppURL = graph.baseURL
        configuration.queue = queueName
        configuration.smtpTrustRoots = smtp?.certificate
        configuration.smtpAnyPort = true
        configuration.smtpPrivateHosts = true  // the test's SMTP server is on 127.0.0.1
        configuration.publicURL = "https://crm.example.test"
        configuration.timeout = .seconds(5)
        let notify = try NotifyModule(kernel: kernel, configuration: configuration)
        let tenant = try await TenantFixture.make(kernel, sector: sector)
        for (key, value) in [("netgsm_usercode", "8508400000"), ("netgsm_password", "gizli-parola"), ("netgsm_header", "HALIYIKAMA")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: tenant.ownerPrincipal)
        }
        if let smtp {
            for (key, value) in [("smtp_host", "localhost"), ("smtp_username", "magaza"), ("smtp_password", "posta-sifre"),
                                 ("smtp_from", "bildirim@halici.example"), ("smtp_from_name", "Halıcı Öztürk")] {
                _ = try await kernel.settingsService.change(key, to: .text(value), by: tenant.ownerPrincipal)
            }
            _ = try await kernel.settingsService.change("smtp_port", to: .integer(smtp.port), by: tenant.ownerPrincipal)
        }
        return NotifyFixture(kernel: kernel, notify: notify, tenant: tenant, queueName: queueName, gateway: gateway, graph: graph)
    }

    /// Sets up the tenant's WhatsApp Business number.
    func setUpWhatsApp() async throws {
        for (key, value) in [("whatsapp_phone_number_id", "106540352242922"), ("whatsapp_token", "EAAG-test-token"),
                             ("whatsapp_app_secret", Self.appSecret), ("whatsapp_verify_token", "dogrulama-123")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: tenant.ownerPrincipal)
        }
    }

    func worker() -> WorkerService {
        var configuration = WorkerConfiguration(queues: [queueName: 4])
        configuration.pollInterval = .milliseconds(50)
        configuration.maintenance = false
        return WorkerService(queue: kernel.queue, handlers: WorkerProcess.handlers(kernel: kernel, notify: notify), configuration: configuration,
                             logger: Logger(label: "test.worker"), backoff: Backoff(jitter: { 0 }))
    }

    /// Runs a worker around `body`, stopping it after.
    func working(_ body: () async throws -> Void) async throws {
        let worker = self.worker()
        let task = Task { try await worker.run() }
        do { try await body() } catch {
            worker.stop()
            _ = try? await task.value
            throw error
        }
        worker.stop()
        try await task.value
    }

    /// A customer with a mobile phone, addressed as "Ayşe Hanım".
    func customer(name: String = "Ayşe Yılmaz", salutation: String? = "hanim", channel: String? = nil, email: String? = nil,
                  phone: String = "0532 123 45 67") async throws -> Customer {
        try await kernel.customers.create(
            CustomerDraft(name: name, phones: [PhoneInput(number: phone)], email: email, preferredChannel: channel, salutation: salutation),
            by: tenant.ownerPrincipal
        )
    }

    /// An order for `customer` (two carpets, or one wash), walked to the sector's ready stage (or `until`).
    @discardableResult
    func orderMadeReady(for customer: Customer, until target: String? = nil) async throws -> Order {
        let lines = tenant.tenant.sector == "promowash" ? [LineRequest(service: "wash")]
            : [LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300), LineRequest(service: "kilim", widthCm: 100, lengthCm: 150)]
        let order = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: lines), by: tenant.ownerPrincipal)
        let workflow = try kernel.registry.require(tenant.tenant.sector).workflow
        var stage = workflow.initialStage
        while stage != (target ?? workflow.readyStage) {
            stage = workflow.next(from: stage).first { !$0.hasPrefix("cancel") && $0 != Workflow.cancelled }!
            for item in order.items { _ = try await kernel.tracking.scan(item.tag, to: stage, note: nil, by: tenant.ownerPrincipal) }
        }
        return order
    }

    func messages(_ customer: Customer) async throws -> [MessageRecord] {
        try await notify.messages.list(customerID: customer.id, limit: 100, by: tenant.ownerPrincipal)
    }

    func pendingJobs() async throws -> Int {
        try await kernel.queue.jobs(state: nil, queue: queueName, limit: 500).filter { JobState.pending.contains($0.state) || $0.state == .running }.count
    }

    func stop() async {
        await gateway.stop()
        await graph.stop()
    }
}
