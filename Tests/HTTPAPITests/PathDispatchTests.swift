@testable import HTTPAPI
import Testing

/// One server, two faces: which paths the API answers and which the front desk does.
@Suite("The API and the front desk share one port")
struct PathDispatchTests {
    @Test("the API, its document and the probes go to the API; every other path to the front desk")
    func split() {
        for path in ["/api", "/api/", "/api/v1/customers", "/api/v1/openapi.yaml", "/healthz", "/readyz", "/metrics"] {
            #expect(APIPaths.contains(path), "\(path)")
        }
        for path in ["/", "/sign-in", "/scan", "/apis", "/api-docs", "/healthz/x", "/metricsx", "/assets/app.css"] {
            #expect(!APIPaths.contains(path), "\(path)")
        }
    }
}
