import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Storage
import NIOCore
import Notify
import Testing
import TestSupport
import WebUI

/// The front desk's real router on a real database, over loopback, with a browser's cookie jar.
struct WebHarness: Sendable {
    let kernel: Kernel
    let desk: FrontDesk

    static func make(_ engine: Engine, settings: KernelSettings = TestKernels.settings(), web: WebSettings = WebSettings()) async throws -> WebHarness {
        let kernel = try await TestKernels.make(engine, settings: settings)
        return WebHarness(kernel: kernel, desk: try FrontDesk(kernel: kernel, notify: try NotifyModule(kernel: kernel), settings: web))
    }

    func run(_ test: @Sendable (Browser) async throws -> Void) async throws {
        let app = Application(router: desk.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await test(Browser(client: client)) }
    }

    /// Requests as a browser makes them: cookies kept from one answer to the next.
    final class Browser: @unchecked Sendable {  // one test's client, used from that test only
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]

        init(client: any TestClientProtocol) {
            self.client = client
        }

        struct Page {
            let status: HTTPResponse.Status
            let headers: HTTPFields
            let text: String
            var location: String? { headers[.location] }
            var setCookies: [String] { headers[values: .setCookie] }

            /// The value of the first input named `name` on the page.
            func input(_ name: String) -> String? {
                guard let field = text.range(of: "name=\"\(name)\"") else { return nil }
                let tag = text[field.upperBound...].prefix { $0 != ">" }
                guard let value = tag.range(of: "value=\"") else { return nil }
                return String(tag[value.upperBound...].prefix { $0 != "\"" })
            }
        }

        @discardableResult
        func get(_ path: String, headers: HTTPFields = [:]) async throws -> Page {
            try await send(.get, path, body: nil, headers: headers)
        }

        @discardableResult
        func post(_ path: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> Page {
            let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            var headers = headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            return try await send(.post, path, body: body, headers: headers)
        }

        private func send(_ method: HTTPRequest.Method, _ path: String, body: String?, headers: HTTPFields) async throws -> Page {
            var headers = headers
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
            let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            let page = Page(status: response.status, headers: response.headers, text: String(buffer: response.body))
            for header in page.setCookies {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
            return page
        }

        static func encode(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }

        /// Signs in through the sign-in page, as a person does.
        @discardableResult
        func signIn(_ fixture: TenantFixture, next: String = "") async throws -> Page {
            let form = try await get("/sign-in")
            return try await post("/sign-in", [("csrf", form.input("csrf") ?? ""), ("next", next), ("tenant", fixture.tenant.slug),
                                               ("email", fixture.owner.email), ("password", TenantFixture.ownerPassword)])
        }
    }
}
