import Kernel
import Logging
import Prometheus
import Queue
import ServiceLifecycle

/// Keeps the queue gauges (jobs per queue and state, the oldest waiting job's age) fresh by
/// sampling the queue every `interval`, so that a scrape of `/metrics` costs no query and a burst
/// of scrapes cannot load the database.
public struct QueueGauges: Service {
    let kernel: Kernel
    let gauges: WorkerMetrics
    let interval: Duration
    let logger: Logger

    public init(kernel: Kernel, metrics: PrometheusCollectorRegistry, interval: Duration = .seconds(15), logger: Logger) {
        self.kernel = kernel
        self.gauges = WorkerMetrics(registry: metrics)
        self.interval = interval
        self.logger = logger
    }

    /// Samples once (also what a test calls).
    public func sample() async throws {
        gauges.record(try await kernel.jobs.stats())
    }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                try await sample()
            } catch {
                // A database that does not answer leaves the gauges as they were.
                logger.warning("sampling the queue for metrics failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
