import Accounts
import Contracts
import Foundation
import Invoicing
import Kernel
import Logging
import Notify
import Queue
import Storage
import TestSupport
import Workers

/// A kernel on a database of its own with the account and invoicing modules subscribed to its
/// orders, one tenant, and a worker that runs this test's own invoice queue.
struct AccountsFixture {
    let kernel: Kernel
    let accounts: AccountsModule
    let invoicing: InvoicingModule
    let tenant: TenantFixture
    let queueName: String

    var owner: Principal { tenant.ownerPrincipal }

    static func make(_ engine: Engine, sector: String = "drycleaning", clock: KernelClock = .system) async throws -> AccountsFixture {
        let queueName = "invoices-" + UUID().uuidString.prefix(8).lowercased()
        let catalog = try SettingsCatalog([NotifyModule.settings, AccountsModule.settings, InvoicingModule.settings], registry: TestKernels.registry)
        var settings = TestKernels.settings(clock: clock)
        settings.secrets = try SecretBox(base64Key: SecretBox.generateKey())
        // A database of its own on PostgreSQL too: the daily sweep works through every tenant of
        // its database, and the concurrent tests would fill the run's shared pool.
        let database = try await TestDatabases.empty(engine)
        try await Migrator(database: database, logger: Logger(label: "test.migrate"))
            .migrate(QueueMigrations.all + TestKernels.registry.migrations + TestKernels.featureMigrations)
        let kernel = Kernel(database: database, registry: TestKernels.registry, settings: settings,
                            subscribers: [AccountsModule.subscriber, InvoicingModule.subscriber], settingsCatalog: catalog,
                            featureMigrations: TestKernels.featureMigrations)
        let tenant = try await TenantFixture.make(kernel, sector: sector)
        return AccountsFixture(kernel: kernel, accounts: AccountsModule(kernel: kernel), invoicing: InvoicingModule(kernel: kernel, queue: queueName),
                               tenant: tenant, queueName: queueName)
    }

    func set(_ key: String, _ value: String) async throws {
        _ = try await kernel.settingsService.change(key, to: .text(value), by: owner)
    }

    /// The business's legal details, as invoices need them.
    func setUpInvoicing() async throws {
        for (key, value) in [("invoice_series", "ABC"), ("invoice_title", "Örnek Temizlik Hizmetleri Ltd. Şti."), ("invoice_tax_number", "3900892152"),
                             ("invoice_tax_office", "Kadıköy"), ("invoice_street", "Bağdat Cad. No: 10"), ("invoice_district", "Kadıköy"),
                             ("invoice_city", "İstanbul"), ("invoice_postal_code", "34710"), ("invoice_mersis", "0390089215200015")] {
            try await set(key, value)
        }
    }

    /// Notify sending to local providers: the SMS gateway, and the SMTP server when given, with
    /// the tenant's accounts at both.
    func notify(gateway: NetgsmGateway, smtp: SMTPPeer? = nil) async throws -> NotifyModule {
        var configuration = NotifyConfiguration()
        configuration.netgsmURL = gateway.baseURL
        configuration.smtpTrustRoots = smtp?.certificate
        configuration.smtpAnyPort = true
        configuration.smtpPrivateHosts = true  // the test's SMTP server is on 127.0.0.1
        configuration.timeout = .seconds(5)
        for (key, value) in [("netgsm_usercode", "8508400000"), ("netgsm_password", "gizli-parola"), ("netgsm_header", "KURUTEMIZ")] {
            try await set(key, value)
        }
        if let smtp {
            for (key, value) in [("smtp_host", "localhost"), ("smtp_username", "magaza"), ("smtp_password", "posta-sifre"),
                                 ("smtp_from", "muhasebe@kurutemiz.example")] {
                try await set(key, value)
            }
            _ = try await kernel.settingsService.change("smtp_port", to: .integer(smtp.port), by: owner)
        }
        return try NotifyModule(kernel: kernel, configuration: configuration)
    }

    func order(_ customer: Customer, _ lines: [LineRequest]) async throws -> Order {
        try await kernel.orders.create(OrderDraft(customerId: customer.id, items: lines), by: owner)
    }

    func record(_ kind: String, _ amount: Int, customer: Customer, method: String? = nil, direction: String? = nil, reason: String? = nil,
                at: Date? = nil) async throws -> AccountEntry {
        try await accounts.ledger.record(EntryInput(kind: kind, amount: Money(minorUnits: amount), method: method, direction: direction,
                                                    reason: reason, occurredAt: at), customerID: customer.id, by: owner)
    }

    func balance(_ customer: Customer) async throws -> Money {
        try await accounts.ledger.balance(customerID: customer.id, by: owner).balance
    }

    /// Walks every item of `order` along the workflow, from where it is, to `target`.
    func walk(_ order: Order, to target: String) async throws {
        let workflow = try kernel.registry.require(tenant.tenant.sector).workflow
        var stage = try await kernel.orders.get(order.id, by: owner).stage
        while stage != target {
            stage = workflow.next(from: stage).first { !$0.hasPrefix("cancel") && $0 != Workflow.cancelled }!
            for item in try await kernel.orders.get(order.id, by: owner).items where item.stage != stage {
                _ = try await kernel.tracking.scan(item.tag, to: stage, note: nil, by: owner)
            }
        }
    }

    /// Hands `order` over as the counter does: takes in cash what must be paid first (a cash
    /// customer's balance with the order), then walks it to "delivered".
    func handOver(_ order: Order) async throws {
        if let due = try await accounts.ledger.dueAtDelivery(orderID: order.id, by: owner) {
            _ = try await accounts.ledger.record(EntryInput(kind: "payment", amount: due, method: "cash", orderId: order.id),
                                                 customerID: order.customerId, by: owner)
        }
        try await walk(order, to: "delivered")
    }

    static let workedQueues = ["reminders", "notifications"]

    /// Whether no job of the worked queues waits or runs.
    func drained() async throws -> Bool {
        for queue in [queueName] + Self.workedQueues {
            let open = try await kernel.queue.jobs(state: nil, queue: queue, limit: 500).filter { JobState.pending.contains($0.state) || $0.state == .running }
            if !open.isEmpty { return false }
        }
        return true
    }

    /// Runs a worker on this test's queue, `reminders` (the daily runs) and `notifications` (their
    /// messages) around `body`, sending through `notify` (one on the providers' public addresses by default).
    func working(notify: NotifyModule? = nil, _ body: () async throws -> Void) async throws {
        var configuration = WorkerConfiguration(queues: [queueName: 2, "reminders": 1, "notifications": 2])
        configuration.pollInterval = .milliseconds(50)
        configuration.maintenance = false
        let worker = WorkerService(queue: kernel.queue, handlers: WorkerProcess.handlers(kernel: kernel, notify: try notify ?? NotifyModule(kernel: kernel)),
                                   configuration: configuration, logger: Logger(label: "test.worker"), backoff: Backoff(jitter: { 0 }))
        let task = Task { try await worker.run() }
        do { try await body() } catch {
            worker.stop()
            _ = try? await task.value
            throw error
        }
        worker.stop()
        try await task.value
    }
}
