import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Notify
import NIOCore
import Prometheus
import Storage
import Testing
import TestSupport

/// The real router on a real database, driven in-process by HummingbirdTesting.
struct APIHarness: @unchecked Sendable {  // the router is built once and only read
    let kernel: Kernel
    let router: Router<AppRequestContext>
    let metrics: PrometheusCollectorRegistry
    static let bodyLimit = 16 * 1024
    static let metricsToken = "metrics-test-token"

    static func make(
        _ engine: Engine, settings: KernelSettings = TestKernels.settings(), registry: ModuleRegistry = TestKernels.registry,
        settingsCatalog: SettingsCatalog = .sectorsOnly, subscribers: [any OrderEventSubscriber] = [],
        api configure: (inout APISettings) throws -> Void = { _ in }
    ) async throws -> APIHarness {
        let kernel = try await TestKernels.make(engine, settings: settings, registry: registry, subscribers: subscribers, settingsCatalog: settingsCatalog)
        var api = APISettings()
        api.maximumBodyBytes = bodyLimit
        // The harness connects over loopback: the tests act as the proxy in front of the server.
        api.trustedProxies = try TrustedProxies(parsing: "127.0.0.0/8, ::1")
        api.metricsToken = metricsToken
        try configure(&api)
        let metrics = PrometheusCollectorRegistry()
        return APIHarness(kernel: kernel, router: APIServer.buildRouter(kernel: kernel, notify: try NotifyModule(kernel: kernel), settings: api, metrics: metrics), metrics: metrics)
    }

    func run(_ test: @Sendable (Client) async throws -> Void) async throws {
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await test(Client(client: client)) }
    }

    /// A test client that speaks JSON.
    struct Client {
        let client: any TestClientProtocol

        struct Reply {
            let status: HTTPResponse.Status
            let headers: HTTPFields
            let text: String

            var json: [String: Any] {
                (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            }

            var code: String? { json["code"] as? String }
            var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
            var isProblem: Bool { headers[.contentType] == "application/problem+json" }
        }

        @discardableResult
        func send(
            _ method: HTTPRequest.Method,
            _ path: String,
            token: String? = nil,
            body: String? = nil,
            headers extra: HTTPFields = [:]
        ) async throws -> Reply {
            var headers = extra
            if let token { headers[.authorization] = "Bearer \(token)" }
            if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(
                uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
            )
            return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }

        func json(_ object: [String: Any]) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }

        func login(_ tenant: String, _ email: String, _ password: String = TenantFixture.ownerPassword, from address: String = "203.0.113.9") async throws -> String {
            let reply = try await send(.post, "/api/v1/auth/login", body: json(["tenant": tenant, "email": email, "password": password]),
                                       headers: [HTTPField.Name("X-Forwarded-For")!: address])
            #expect(reply.status == .ok, "login failed: \(reply.text)")
            return reply.json["token"] as? String ?? ""
        }

        func login(_ fixture: TenantFixture) async throws -> String {
            try await login(fixture.tenant.slug, fixture.owner.email)
        }
    }
}
