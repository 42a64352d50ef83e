import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The HTTP client every provider channel shares: one connection pool per process, every call
/// with a deadline.
public struct HTTPTransport: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount

    public init(client: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    struct Response: Sendable {
        let status: Int
        let body: Data
    }

    /// One request; a transport failure or a missed deadline throws `SendFailure.retry`.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], json body: Data?) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Response(status: Int(response.status.code), body: Data(buffer: bytes))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw SendFailure.retry("no answer within \(timeout.nanoseconds / 1_000_000_000) s", after: nil)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as SendFailure {
            throw error
        } catch {
            throw SendFailure.retry("the provider could not be reached: \(error)", after: nil)
        }
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
