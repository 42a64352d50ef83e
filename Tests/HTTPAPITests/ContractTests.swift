import Contracts
import Foundation
import HTTPTypes
import Kernel
import Storage
import Testing
import TestSupport

@Suite("HTTP: the OpenAPI contract, health, metrics")
struct ContractTests {
    /// `METHOD /path/{param}` for every operation in `Contracts/openapi.yaml`.
    static func documentedOperations() -> Set<String> {
        var operations: Set<String> = []
        var path: String?
        for line in OpenAPIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("components:") {
                path = nil
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) { operations.insert("\(method) \(current)") }
            }
        }
        return operations
    }

    @Test("every route the server answers is documented, and every documented route exists")
    func routesMatchDocument() async throws {
        let harness = try await APIHarness.make(.sqlite)
        let served = Set(harness.router.routes.map { route in
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method.rawValue) /\(path.joined(separator: "/"))".replacingOccurrences(of: " //", with: " /")
        })
        let documented = Self.documentedOperations()
        #expect(documented.count > 20)
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
        #expect(OpenAPIDocument.yaml.hasPrefix("openapi: 3.1.0"))
        let codes = ErrorCode.allCases.map(\.rawValue)
        for code in codes {
            #expect(OpenAPIDocument.yaml.contains("- \(code)"), "error code \(code) is not listed in the document")
        }
    }

    @Test("health, readiness, metrics and the document are served", arguments: TestDatabases.engines)
    func operations(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        try await harness.run { client in
            #expect(try await client.send(.get, "/healthz").json["status"] as? String == "ok")
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .ok && ready.json["database"] as? String == engine.rawValue)
            let document = try await client.send(.get, "/api/v1/openapi.yaml")
            #expect(document.text == OpenAPIDocument.yaml)
            let sectors = try await client.send(.get, "/api/v1/sectors")
            #expect(sectors.items.compactMap { $0["id"] as? String } == ["drycleaning", "carpet", "shoeshine", "tailoring", "carwash", "retail"])
            _ = try await client.send(.get, "/api/v1/customers")
            // On the API port, metrics need their token.
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)
            #expect(try await client.send(.get, "/metrics", token: "wrong").status == .unauthorized)
            let metrics = try await client.send(.get, "/metrics", token: APIHarness.metricsToken)
            #expect(metrics.text.contains(#"http_requests_total{method="GET",route="/api/v1/customers",status="401"} 1"#))
            #expect(metrics.text.contains("http_request_duration_seconds_bucket"))
            #expect(try await client.send(.get, "/healthz").headers[HTTPField.Name("X-Request-ID")!] != nil)
        }
    }
}
