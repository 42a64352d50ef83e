import ArgumentParser
import Foundation
import HTTPAPI
import Kernel
import Logging
import Notify
import Prometheus
import Queue
import ServiceLifecycle
import Storage
import UnixSignals
import Workers

/// `crm worker`: works the given queues until SIGTERM, then stops claiming, lets running jobs
/// finish within the grace period and gives the rest back. Run as many as needed, anywhere.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Work job queues until SIGTERM.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Queues to work, with an optional concurrency each: notifications:16,invoices:2.")
    var queues = "default"

    @Option(help: "Jobs per queue that run at once, where --queues gives none.")
    var concurrency = 16

    @Option(help: "Seconds running jobs get to finish after SIGTERM.")
    var grace = 25

    @Option(help: "Seconds a claimed job stays this worker's without renewal (renewed every third of it); a crashed worker's jobs come back after it.")
    var lease = 30

    @Option(help: "Serve /metrics and /healthz on this port (none by default).")
    var metricsPort: Int?

    func run() async throws {
        let config = try options.config()
        let logger = config.makeLogger("crm.worker")
        var worker = WorkerConfiguration(queues: try WorkerConfiguration.parseQueues(queues, concurrency: concurrency))
        worker.shutdownGrace = .seconds(grace)
        guard (2...3600).contains(lease) else { throw ValidationError("--lease must be between 2 and 3600 seconds") }
        worker.lease = .seconds(lease)
        if config.database.engine == .sqlite {
            logger.notice("on SQLite, workers in other processes learn of new jobs by polling; crm serve runs workers in-process")
        }
        let (kernel, opened) = try await Composition.open(config, logger: logger)
        let metrics = PrometheusCollectorRegistry()
        let notify = try Composition.notify(kernel, config: config)
        let service = WorkerProcess.service(kernel: kernel, notify: notify, configuration: worker, metrics: metrics, logger: logger)
        var services: [any Service] = opened.service.map { [$0] } ?? []
        services.append(MigrateThenRun(kernel: kernel, notify: notify, logger: logger, service: service))
        if let metricsPort {
            services.append(QueueGauges(kernel: kernel, metrics: metrics, logger: logger))
            services.append(APIServer.operationsApplication(kernel: kernel, metrics: metrics, host: config.host, port: metricsPort, logger: logger))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await opened.database.close()
    }
}

/// Brings the schema up to date before the worker claims anything (a worker may start before any server).
struct MigrateThenRun: Service {
    let kernel: Kernel
    let notify: NotifyModule
    let logger: Logger
    let service: WorkerService

    func run() async throws {
        try await kernel.migrate(logger: logger)
        try await WorkerProcess.installSchedules(kernel: kernel, notify: notify)
        try await service.run()
    }
}
