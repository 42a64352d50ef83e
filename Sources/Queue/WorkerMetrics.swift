import Prometheus
import Synchronization

/// What a worker process reports to Prometheus: outcomes and durations per queue and kind, and how
/// long jobs waited past their due time before a worker picked them up; queue depths at scrape time.
public struct WorkerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The series a worker records into for every job, once looked up: the registry builds a
    /// series' name and checks its labels on every lookup, which cost more than the recording.
    private let series = SeriesCache()

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    private final class SeriesCache: Sendable {
        struct Key: Hashable {
            let queue: String
            let kind: String
            let outcome: String
        }
        let finished = Mutex<[Key: (Counter, DurationHistogram)]>([:])
        let pickedUp = Mutex<[String: DurationHistogram]>([:])
        /// Queues, kinds and outcomes are the code's own, so this is never reached; a bound all the same.
        static let most = 10_000
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
        .seconds(1), .seconds(5), .seconds(30), .seconds(120),
    ]
    static let lagBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50),
        .milliseconds(250), .seconds(1), .seconds(5), .seconds(30),
    ]

    func finished(queue: String, kind: String, outcome: String, duration: Duration) {
        let key = SeriesCache.Key(queue: queue, kind: kind, outcome: outcome)
        let (counter, histogram) = series.finished.withLock { known in
            if let found = known[key] { return found }
            let made = (
                registry.makeCounter(
                    descriptor: MetricNameDescriptor(metricName: "queue_jobs", unitName: "total", helpText: "Job attempts by outcome."),
                    labels: [("queue", queue), ("kind", kind), ("outcome", outcome)]),
                registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(metricName: "queue_job_duration", unitName: "seconds", helpText: "How long job attempts ran."),
                    labels: [("queue", queue), ("kind", kind)], buckets: Self.durationBuckets))
            if known.count < SeriesCache.most { known[key] = made }
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    func pickedUp(queue: String, lag: Duration) {
        series.pickedUp.withLock { known in
            if let found = known[queue] { return found }
            let made = registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(metricName: "queue_pickup_lag", unitName: "seconds", helpText: "Time from a job being due to its start."),
                labels: [("queue", queue)], buckets: Self.lagBuckets)
            if known.count < SeriesCache.most { known[queue] = made }
            return made
        }.record(lag)
    }

    /// Sets the depth and age gauges from a fresh count (called when /metrics is scraped).
    public func record(_ stats: QueueStats) {
        for state in JobState.allCases {
            for queue in Set(stats.rows.map(\.queue)) {
                let count = stats.rows.first { $0.queue == queue && $0.state == state }?.count ?? 0
                registry.makeGauge(
                    descriptor: MetricNameDescriptor(metricName: "queue_jobs_in_state", unitName: "count", helpText: "Jobs per queue and state."),
                    labels: [("queue", queue), ("state", state.rawValue)]
                ).set(Double(count))
            }
        }
        for (queue, age) in stats.oldestAvailableAge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "queue_oldest_available_age", unitName: "seconds", helpText: "How long the oldest due job has waited."),
                labels: [("queue", queue)]
            ).set(age)
        }
    }
}
