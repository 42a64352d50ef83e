import ArgumentParser
import Foundation
import Logging
import Queue
import ServiceLifecycle
import UnixSignals
import Storage

/// `crm-bench worker`: a worker process running the bench job kinds, for measurements and tests.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run a worker with the bench job kinds until SIGTERM.")

    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option var queues = "bench:16"
    @Option(name: .customLong("lease-ms")) var leaseMilliseconds = 30_000
    @Option(name: .customLong("grace-ms")) var graceMilliseconds = 25_000
    @Option(name: .customLong("maintenance-ms")) var maintenanceMilliseconds = 1_000
    @Option(name: .customLong("poll-ms")) var pollMilliseconds = 1_000
    @Option(name: .customLong("pool")) var poolSize = 8

    func run() async throws {
        var logger = Logger(label: "crm-bench.worker")
        logger.logLevel = .warning
        let opened = try await DatabaseConnector.open(try DatabaseLocation.parse(databaseURL), poolSize: poolSize, logger: logger)
        let queue = JobQueue.on(opened.database, logger: logger)
        var configuration = WorkerConfiguration(queues: try WorkerConfiguration.parseQueues(queues, concurrency: 16))
        configuration.lease = .milliseconds(leaseMilliseconds)
        configuration.shutdownGrace = .milliseconds(graceMilliseconds)
        configuration.maintenanceInterval = .milliseconds(maintenanceMilliseconds)
        configuration.pollInterval = .milliseconds(pollMilliseconds)
        let output = LineOutput()
        var handlers = HandlerRegistry()
        handlers.register(NoopHandler())
        handlers.register(RecordHandler(worker: configuration.workerID, database: opened.database))
        handlers.register(LatencyHandler(output: output))
        let worker = WorkerService(queue: queue, handlers: handlers, configuration: configuration, logger: logger)
        let ready = ReadySignal(output: output, worker: configuration.workerID)
        let group = ServiceGroup(configuration: .init(
            services: (opened.service.map { [$0] } ?? []) + [worker, ready],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}

/// Prints `READY <worker>` once the worker runs, so that a driver knows when to start measuring.
struct ReadySignal: Service {
    let output: LineOutput
    let worker: String

    func run() async throws {
        try await Task.sleep(for: .milliseconds(100))
        output.line("READY \(worker)")
        try await gracefulShutdown()
    }
}
