import Contracts
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Prometheus

/// Liveness, readiness, metrics and the HTTP contract: what operators and integrators probe.
struct HealthController {
    let kernel: Kernel
    let metrics: PrometheusCollectorRegistry
    /// Who may read `/metrics`: anyone (a port of its own, not exposed), or bearers of this token
    /// (on the API port; without a token configured, nobody there).
    let metricsAccess: MetricsAccess

    enum MetricsAccess {
        case open
        case token(String?)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            do {
                try await kernel.checkDatabase()
            } catch {
                throw DomainError(.unavailable, "The database does not answer.")
            }
            return try JSONBody.response(["status": "ready", "database": kernel.engineName])
        }
        router.get("/metrics") { request, _ in
            // Queue depths come from the workers' periodic sample (`QueueGauges`), not from a query per scrape.
            if case .token(let expected) = metricsAccess {
                // Without a configured token no bearer opens them here.
                guard let expected, let token = AuthMiddleware.bearerToken(request), Tokens.equal(token, expected) else {
                    throw DomainError(.unauthenticated, "Metrics need the bearer token of CRM_METRICS_TOKEN here, or the metrics port (CRM_METRICS_PORT).")
                }
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer()))
            )
        }
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml))
            )
        }
    }
}
