import Hummingbird
import Prometheus
import Synchronization

/// Counts requests and measures their durations per route template, method and status, into the
/// process's Prometheus registry (served at `/metrics`).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let registry: PrometheusCollectorRegistry
    /// The registry's series, once looked up: the registry builds names and label sets anew on
    /// every look-up, which a request need not pay for.
    private let series = Series()

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered.")
    }

    static var durations: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_request_duration", unitName: "seconds", helpText: "Time from a request's arrival to its response.")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        // The route template, not the path: ids in paths would make a series per customer.
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let key = Series.Key(method: method, route: route, status: response.status.code)
        let (counter, histogram) = series.handles(key) {
            (registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(key.status))]),
             registry.makeDurationHistogram(descriptor: Self.durations, labels: [("method", method), ("route", route)], buckets: Self.buckets))
        }
        counter.increment()
        histogram.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        return response
    }

    final class Series: Sendable {
        struct Key: Hashable, Sendable {
            let method: String
            let route: String
            let status: Int
        }

        private let known = Mutex<[Key: (Counter, DurationHistogram)]>([:])

        /// The handles of `key`, made by `make` the first time. Routes are templates and statuses
        /// few, so the table stays small.
        func handles(_ key: Key, make: () -> (Counter, DurationHistogram)) -> (Counter, DurationHistogram) {
            if let found = known.withLock({ $0[key] }) { return found }
            let made = make()
            known.withLock { $0[key] = made }
            return made
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
