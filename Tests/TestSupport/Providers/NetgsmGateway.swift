import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A local stand-in for Netgsm's REST v2 API, as its documentation and official clients describe
/// it: Basic auth, JSON bodies, `{code, description, jobid}` answers (HTTP 200 when accepted, 406
/// when not), delivery reports by job id, an inbox read once per message.
public final class NetgsmGateway: Sendable {
    public struct Sent: Sendable, Equatable {
        public let authorization: String?
        public let header: String
        public let number: String
        public let text: String
        public let encoding: String?
        public let iysFilter: String?
        public let jobID: String
    }

    /// What the next /send gets instead of acceptance.
    public enum Answer: Sendable {
        case accept
        case httpStatus(Int)
        case code(String)
        /// Takes the message and answers only when `release()` is called (the caller may be killed meanwhile).
        case acceptAndHold
    }

    struct State {
        var sent: [Sent] = []
        var script: [Answer] = []
        var nextJob = 1000
        var statuses: [String: Int] = [:]
        var inbox: [(sender: String, message: String, datetime: String)] = []
        var reportCalls = 0
        var reportRequests: [[String]] = []
        var inboxCalls = 0
    }

    private let state = Mutex(State())
    private let held = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let serverBox = Mutex<LocalServer?>(nil)
    public var server: LocalServer { serverBox.withLock { $0! } }

    public var sent: [Sent] { state.withLock { $0.sent } }
    public var reportCalls: Int { state.withLock { $0.reportCalls } }
    /// The job ids each report query asked about, in order.
    public var reportRequests: [[String]] { state.withLock { $0.reportRequests } }
    public var baseURL: String { server.baseURL }

    public func script(_ answers: Answer...) { state.withLock { $0.script.append(contentsOf: answers) } }
    /// The report's status of a job's messages, or of one number's message in it.
    public func setStatus(jobID: String, number: String? = nil, _ status: Int) {
        state.withLock { $0.statuses[number.map { jobID + "/" + $0 } ?? jobID] = status }
    }
    public func receive(from sender: String, _ message: String) {
        state.withLock { $0.inbox.append((sender, message, "01.12.2026 10:00:00")) }
    }
    /// Forgets every message received.
    public func reset() { state.withLock { $0.sent.removeAll() } }
    public func release() { held.withLock { list in list.forEach { $0.resume() }; list.removeAll() } }

    public static func start() async throws -> NetgsmGateway {
        let gateway = NetgsmGateway()
        let server = try await LocalServer.start(gateway.router())
        gateway.serverBox.withLock { $0 = server }
        return gateway
    }

    public func stop() async {
        release()
        await server.stop()
    }

    private struct SendBody: Decodable {
        struct Message: Decodable { let msg: String; let no: String }
        let msgheader: String
        let messages: [Message]
        let encoding: String?
        let iysfilter: String?
    }

    private struct ReportBody: Decodable { let jobids: [String] }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/sms/rest/v2/send") { request, context -> Response in
            let body = try await request.decode(as: SendBody.self, context: context)
            let answer = self.state.withLock { $0.script.isEmpty ? .accept : $0.script.removeFirst() }
            switch answer {
            case .httpStatus(let status):
                return Self.json(["code": "100", "description": "system error"], status: HTTPResponse.Status(code: status))
            case .code(let code):
                return Self.json(["code": code, "description": "refused"], status: .notAcceptable)
            case .accept, .acceptAndHold:
                let jobID = self.state.withLock { state -> String in
                    state.nextJob += 1
                    let jobID = String(state.nextJob)
                    for message in body.messages {
                        state.sent.append(Sent(authorization: request.headers[.authorization], header: body.msgheader, number: message.no,
                                               text: message.msg, encoding: body.encoding, iysFilter: body.iysfilter, jobID: jobID))
                    }
                    return jobID
                }
                if case .acceptAndHold = answer {
                    await withCheckedContinuation { continuation in self.held.withLock { $0.append(continuation) } }
                }
                return Self.json(["code": "00", "description": "queued", "jobid": jobID], status: .ok)
            }
        }
        router.post("/sms/rest/v2/report") { request, context -> Response in
            let body = try await request.decode(as: ReportBody.self, context: context)
            let jobs: [[String: Any]] = self.state.withLock { state in
                state.reportCalls += 1
                state.reportRequests.append(body.jobids)
                return state.sent.filter { body.jobids.contains($0.jobID) }.map {
                    ["jobid": $0.jobID, "number": "90" + $0.number, "status": state.statuses[$0.jobID + "/" + $0.number] ?? state.statuses[$0.jobID] ?? 0,
                     "operator": 30, "msglen": 1, "errorCode": 0]
                }
            }
            return Self.json(["code": "00", "description": "ok", "jobs": jobs], status: .ok)
        }
        router.get("/sms/rest/v2/inbox") { _, _ -> Response in
            let messages: [[String: Any]] = self.state.withLock { state in
                state.inboxCalls += 1
                defer { state.inbox.removeAll() }
                return state.inbox.map { ["message": $0.message, "sender": $0.sender, "receiver": "8508400000", "datetime": $0.datetime] }
            }
            if messages.isEmpty { return Self.json(["code": "40", "description": "no messages"], status: .notAcceptable) }
            return Self.json(["code": "00", "description": "ok", "messages": messages], status: .ok)
        }
        return router
    }

    public static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        let data = try! JSONSerialization.data(withJSONObject: object)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
