import Accounts
import Foundation
import Invoicing
import Kernel
import Logging
import Loyalty
import Notify
import Prometheus
import Queue
import ServiceLifecycle

/// A worker process as `crm worker` runs it (and `crm serve` on SQLite, in-process): the product's
/// job handlers on the kernel, the worker engine, and its metrics.
public enum WorkerProcess {
    /// The handlers of the product's job kinds. Notifications, e-invoice export and reminders
    /// register theirs here as they land; besides them a worker runs the queue's own maintenance
    /// (lapsed leases, recurring schedules, pruning).
    public static func handlers(kernel: Kernel, notify: NotifyModule) -> HandlerRegistry {
        var registry = HandlerRegistry()
        registry.register(PruneSessionsHandler(kernel: kernel))
        registry.register(OrderMessageHandler(notifier: notify.notifier, timeout: notify.jobTimeout))
        registry.register(AppointmentReminderHandler(notifier: notify.notifier, timeout: notify.jobTimeout))
        registry.register(NetgsmPollAllHandler(polling: notify.netgsmPolling))
        registry.register(NetgsmPollTenantHandler(polling: notify.netgsmPolling, timeout: notify.jobTimeout * 2))
        registry.register(InvoiceExportHandler(exporter: InvoicingModule(kernel: kernel).exporter))
        let accounts = AccountsModule(kernel: kernel, messageQueue: notify.queue)
        registry.register(AccountsDailyHandler(jobs: accounts.daily))
        registry.register(StorageFeeRunHandler(jobs: accounts.daily))
        registry.register(OverdueReminderRunHandler(jobs: accounts.daily))
        registry.register(PaymentReminderHandler(accounts: accounts, notifier: notify.notifier, timeout: notify.jobTimeout))
        registry.register(StatementMailHandler(accounts: accounts, notifier: notify.notifier))
        let loyalty = LoyaltyModule(kernel: kernel, messageQueue: notify.queue)
        registry.register(LoyaltyDailyHandler(jobs: loyalty.daily))
        registry.register(PointsExpiryHandler(jobs: loyalty.daily))
        registry.register(TierRunHandler(jobs: loyalty.daily))
        registry.register(PointsReminderHandler(loyalty: loyalty, notifier: notify.notifier))
        registry.register(CampaignRunHandler(runs: loyalty.campaignRuns))
        registry.register(CampaignMessageHandler(runs: loyalty.campaignRuns, notifier: notify.notifier))
        return registry
    }

    /// The product's recurring schedules, created or updated (their next tick kept) at start-up.
    public static func installSchedules(kernel: Kernel, notify: NotifyModule) async throws {
        try await kernel.queue.schedule(try PruneSessions.schedule())
        try await kernel.queue.schedule(try NetgsmPollAll.schedule(queue: notify.queue))
        try await kernel.queue.schedule(try AccountsDailySweep.schedule())
        try await kernel.queue.schedule(try LoyaltyDailySweep.schedule())
    }

    /// The worker engine for `queues`, reporting into `metrics`.
    public static func service(
        kernel: Kernel,
        notify: NotifyModule,
        configuration: WorkerConfiguration,
        metrics: PrometheusCollectorRegistry,
        logger: Logger
    ) -> WorkerService {
        WorkerService(
            queue: kernel.queue,
            handlers: handlers(kernel: kernel, notify: notify),
            configuration: configuration,
            logger: logger,
            metrics: WorkerMetrics(registry: metrics)
        )
    }
}
