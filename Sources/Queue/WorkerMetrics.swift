import Prometheus

/// What a worker process reports to Prometheus: outcomes and durations per queue and kind, and how
/// long jobs waited past their due time before a worker picked them up; queue depths at scrape time.
public struct WorkerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
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
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "queue_jobs", unitName: "total", helpText: "Job attempts by outcome."),
            labels: [("queue", queue), ("kind", kind), ("outcome", outcome)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "queue_job_duration", unitName: "seconds", helpText: "How long job attempts ran."),
            labels: [("queue", queue), ("kind", kind)], buckets: Self.durationBuckets
        ).record(duration)
    }

    func pickedUp(queue: String, lag: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "queue_pickup_lag", unitName: "seconds", helpText: "Time from a job being due to its start."),
            labels: [("queue", queue)], buckets: Self.lagBuckets
        ).record(lag)
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
