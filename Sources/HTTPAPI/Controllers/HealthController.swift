import Contracts
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Prometheus
import Queue
import Storage

/// Liveness, readiness, metrics and the HTTP contract: what operators and integrators probe.
struct HealthController {
    let kernel: Kernel
    let metrics: PrometheusCollectorRegistry

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            do {
                try await kernel.database.checkReachable()
            } catch {
                throw DomainError(.unavailable, "The database does not answer.")
            }
            return try JSONBody.response(["status": "ready", "database": kernel.database.engine.rawValue])
        }
        router.get("/metrics") { _, _ in
            // Queue depths are counted when scraped; a database that does not answer leaves them as they were.
            if let stats = try? await kernel.queue.stats() { WorkerMetrics(registry: metrics).record(stats) }
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
