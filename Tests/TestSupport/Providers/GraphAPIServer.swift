import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local stand-in for the WhatsApp Cloud API (`POST /{phone-number-id}/messages` with a bearer
/// token), answering as Meta documents: `{messaging_product, contacts, messages: [{id}]}` when it
/// takes a message, `{error: {code, message, error_data: {details}}}` when not.
public final class GraphAPIServer: Sendable {
    public struct Sent: Sendable {
        public let path: String
        public let authorization: String?
        public let to: String
        public let type: String
        public let templateName: String?
        public let language: String?
        public let parameters: [String]
        public let text: String?
        public let id: String
    }

    public enum Answer: Sendable {
        case accept
        case error(code: Int, status: Int)
    }

    private let state = Mutex<(sent: [Sent], script: [Answer], next: Int)>(([], [], 1))
    private let serverBox = Mutex<LocalServer?>(nil)

    public var sent: [Sent] { state.withLock { $0.sent } }
    public var baseURL: String { serverBox.withLock { $0!.baseURL } + "/v23.0" }
    public func script(_ answers: Answer...) { state.withLock { $0.script.append(contentsOf: answers) } }

    public static func start() async throws -> GraphAPIServer {
        let server = GraphAPIServer()
        let local = try await LocalServer.start(server.router())
        server.serverBox.withLock { $0 = local }
        return server
    }

    public func stop() async {
        await serverBox.withLock { $0 }?.stop()
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v23.0/:phone/messages") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let body = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
            let answer = self.state.withLock { $0.script.isEmpty ? .accept : $0.script.removeFirst() }
            if case .error(let code, let status) = answer {
                return NetgsmGateway.json(["error": ["message": "(#\(code)) refused", "type": "OAuthException", "code": code,
                                                     "error_data": ["messaging_product": "whatsapp", "details": "refused by the test"],
                                                     "fbtrace_id": "test"] as [String: Any]],
                                          status: HTTPResponse.Status(code: status))
            }
            let template = body["template"] as? [String: Any]
            let components = template?["components"] as? [[String: Any]] ?? []
            let parameters = components.flatMap { ($0["parameters"] as? [[String: Any]]) ?? [] }.compactMap { $0["text"] as? String }
            let to = body["to"] as? String ?? ""
            let id = self.state.withLock { state -> String in
                state.next += 1
                let id = "wamid.TEST\(state.next)"
                state.sent.append(Sent(path: request.uri.path, authorization: request.headers[.authorization], to: to,
                                       type: body["type"] as? String ?? "", templateName: template?["name"] as? String,
                                       language: (template?["language"] as? [String: Any])?["code"] as? String, parameters: parameters,
                                       text: (body["text"] as? [String: Any])?["body"] as? String, id: id))
                return id
            }
            return NetgsmGateway.json(["messaging_product": "whatsapp", "contacts": [["input": to, "wa_id": String(to.dropFirst())]],
                                       "messages": [["id": id]]], status: .ok)
        }
        return router
    }
}
