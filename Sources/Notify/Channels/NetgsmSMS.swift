import Contracts
import Foundation
import NIOHTTP1

/// SMS through Netgsm's REST API v2 (`POST /sms/rest/v2/send`, Basic auth with the user code and
/// API password), the number in the national form `5XXXXXXXXX`,
/// `encoding: "TR"` only when the text has Turkish letters, `iysfilter` `0` for informational and
/// `11` for commercial messages (İYS then drops recipients without consent). Answers are JSON
/// `{code, description, jobid}`, HTTP 200 when accepted and 406 when not.
public struct NetgsmSMS: ChannelClient {
    public let channel = MessageChannel.sms
    public let provider = "netgsm"
    public let accountTexts = ["netgsm_usercode", "netgsm_header"]
    public let accountSecrets = ["netgsm_password"]

    let transport: HTTPTransport
    /// `https://api.netgsm.com.tr` in production; a local gateway in tests.
    let baseURL: String

    public init(transport: HTTPTransport, baseURL: String = "https://api.netgsm.com.tr") {
        self.transport = transport
        self.baseURL = baseURL
    }

    struct SendBody: Encodable {
        struct Message: Encodable {
            let msg: String
            let no: String
        }
        let msgheader: String
        let messages: [Message]
        let encoding: String?
        let iysfilter: String
        let appname: String
    }

    struct Answer: Decodable {
        let code: String
        let description: String?
        let jobid: String?
    }

    public func send(_ message: OutgoingMessage, account: ChannelAccount) async throws -> Accepted {
        let text = SMSText(message.text)
        return Accepted(providerID: try await request([message], turkish: text.encoding != .gsm7, account: account), costUnits: text.segments)
    }

    /// Many messages, each with its own text (Netgsm's n:n form): one request for each run of up
    /// to `perRequest` that share an encoding and a purpose (the request's `encoding` and
    /// `iysfilter` apply to all of its messages), and no two to one number. All of a request's
    /// messages share its job id; delivery reports tell them apart by number. A refusal that names
    /// the text or a parameter (20, 70) may be one message's fault: that request's messages are
    /// then sent one by one.
    public func send(batch messages: [OutgoingMessage], account: ChannelAccount) async -> [Result<Accepted, SendFailure>] {
        var results = [Result<Accepted, SendFailure>?](repeating: nil, count: messages.count)
        let texts = messages.map { SMSText($0.text) }
        let runs = Dictionary(grouping: messages.indices) { SendRun(turkish: texts[$0].encoding != .gsm7, purpose: messages[$0].purpose) }
        let numbers = messages.map(\.recipient)
        for (run, indices) in runs {
            for chunk in Self.chunks(indices, numbers: numbers) {
                do {
                    let jobID = try await request(chunk.map { messages[$0] }, turkish: run.turkish, account: account)
                    for index in chunk { results[index] = .success(Accepted(providerID: jobID, costUnits: texts[index].segments)) }
                } catch let failure as SendFailure {
                    if chunk.count > 1, failure == Self.refusal("20") || failure == Self.refusal("70") {
                        for index in chunk { results[index] = await Self.result { try await self.send(messages[index], account: account) } }
                    } else {
                        for index in chunk { results[index] = .failure(failure) }
                    }
                } catch {
                    for index in chunk { results[index] = .failure(.unconfirmed("the request to Netgsm ended unexpectedly: \(error)")) }
                }
            }
        }
        return results.map { $0! }
    }

    /// The most messages one request carries.
    static let perRequest = 100

    /// `indices` in requests of at most `perRequest`, none with two messages to one number (a
    /// delivery report names the job and the number, so each pair must name one message).
    static func chunks(_ indices: [Int], numbers: [String]) -> [[Int]] {
        var chunks: [(indices: [Int], numbers: Set<String>)] = []
        for index in indices {
            if let open = chunks.firstIndex(where: { $0.indices.count < perRequest && !$0.numbers.contains(numbers[index]) }) {
                chunks[open].indices.append(index)
                chunks[open].numbers.insert(numbers[index])
            } else {
                chunks.append(([index], [numbers[index]]))
            }
        }
        return chunks.map(\.indices)
    }

    struct SendRun: Hashable {
        let turkish: Bool
        let purpose: MessagePurpose
    }

    /// One `/send` request of messages that share an encoding (`turkish`: some text needs Netgsm's
    /// Turkish encoding) and a purpose; its job id, or `SendFailure`.
    private func request(_ messages: [OutgoingMessage], turkish: Bool, account: ChannelAccount) async throws -> String? {
        let header = try account.require("netgsm_header")
        var entries: [SendBody.Message] = []
        for message in messages {
            guard let number = Self.nationalNumber(message.recipient) else {
                throw SendFailure.permanent("Netgsm sends to Turkish numbers only, not \(message.recipient.prefix(4))…")
            }
            entries.append(.init(msg: message.text, no: number))
        }
        let body = SendBody(msgheader: header, messages: entries, encoding: turkish ? "TR" : nil,
                            iysfilter: messages.first?.purpose == .commercial ? "11" : "0", appname: "crm")
        let response = try await transport.send(.POST, baseURL + "/sms/rest/v2/send",
                                                 headers: [("Authorization", try Self.authorization(account))],
                                                 json: try JSONEncoder().encode(body))
        if response.status >= 500 { throw SendFailure.retry("Netgsm answered HTTP \(response.status)", after: nil) }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
            throw response.status == 200 ? SendFailure.unconfirmed("Netgsm answered HTTP 200 without a readable result")
                : SendFailure.retry("Netgsm answered HTTP \(response.status) without a result code", after: nil)
        }
        switch Self.outcome(code: answer.code) {
        case .accepted:
            return answer.jobid
        case .retry(let after):
            throw SendFailure.retry("Netgsm code \(answer.code): \(Self.meaning(answer.code))", after: after)
        case .permanent:
            throw Self.refusal(answer.code)
        }
    }

    /// A permanent refusal with Netgsm's result code.
    static func refusal(_ code: String) -> SendFailure {
        .permanent("Netgsm code \(code): \(meaning(code))")
    }

    enum Outcome: Equatable {
        case accepted
        case retry(after: Duration?)
        case permanent
    }

    /// Netgsm's send result codes: 00 (01/02: dates corrected) accepted; 100/101 system errors
    /// retry; 80 (sending limit) and 85 (over 20 to one number in a minute) back off a minute;
    /// 20 text, 30 credentials or IP, 40 sender name, 50/51 İYS not set up, 70 parameters: give up.
    static func outcome(code: String) -> Outcome {
        switch code {
        case "00", "01", "02": .accepted
        case "100", "101": .retry(after: nil)
        case "80", "85": .retry(after: .seconds(60))
        default: .permanent
        }
    }

    static func meaning(_ code: String) -> String {
        switch code {
        case "20": "the text is wrong or too long"
        case "30": "wrong user code or password, no API permission, or the server's IP is not allowed"
        case "40": "the sender name is not defined"
        case "50": "the account cannot send İYS-checked messages"
        case "51": "no İYS brand is defined for the account"
        case "70": "a parameter is wrong or missing"
        case "80": "sending limit exceeded"
        case "85": "more than 20 messages to one number within a minute"
        case "100", "101": "Netgsm system error"
        default: "unknown result code"
        }
    }

    /// Basic auth with the account's user code and API password, as every v2 call takes it.
    static func authorization(_ account: ChannelAccount) throws -> String {
        HTTPTransport.basic(try account.require("netgsm_usercode"), try account.require("netgsm_password"))
    }

    /// `+905321234567` → `5321234567`; nil for a number outside Turkey.
    static func nationalNumber(_ e164: String) -> String? {
        guard e164.hasPrefix("+90"), e164.count == 13 else { return nil }
        return String(e164.dropFirst(3))
    }
}

// MARK: - Delivery reports and inbound messages

extension NetgsmSMS {
    /// One number of one job, as `/sms/rest/v2/report` tells it.
    struct ReportEntry: Decodable, Equatable {
        let jobid: String
        /// The number as Netgsm writes it (`905321234567`); a job of many messages has an entry per number.
        let number: String?
        let status: Int
    }

    /// An SMS a customer sent to the tenant's number.
    struct InboundSMS: Decodable, Equatable {
        let message: String
        let sender: String
    }

    /// The delivery state of up to 100 jobs (`POST /sms/rest/v2/report`, at most 10 calls a minute).
    func report(jobIDs: [String], account: ChannelAccount) async throws -> [ReportEntry] {
        struct Body: Encodable {
            let jobids: [String]
            let pagenumber: Int
            let pagesize: Int
            let appname: String
        }
        struct Answer: Decodable {
            let code: String
            let jobs: [ReportEntry]?
        }
        let response = try await transport.send(
            .POST, baseURL + "/sms/rest/v2/report",
            headers: [("Authorization", try Self.authorization(account))],
            json: try JSONEncoder().encode(Body(jobids: Array(jobIDs.prefix(100)), pagenumber: 0, pagesize: 100, appname: "crm"))
        )
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
            throw SendFailure.retry("Netgsm's report answered HTTP \(response.status)", after: nil)
        }
        switch answer.code {
        case "00": return answer.jobs ?? []
        case "60": return []
        case "80": throw SendFailure.retry("Netgsm's report: more than 10 queries a minute", after: .seconds(60))
        default: throw SendFailure.retry("Netgsm's report answered code \(answer.code)", after: nil)
        }
    }

    /// Messages received since the last call (`GET /sms/rest/v2/inbox` without dates lists each once).
    func inbox(account: ChannelAccount) async throws -> [InboundSMS] {
        struct Answer: Decodable {
            let code: String
            let messages: [InboundSMS]?
        }
        let response = try await transport.send(
            .GET, baseURL + "/sms/rest/v2/inbox?appname=crm",
            headers: [("Authorization", try Self.authorization(account))],
            json: nil
        )
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
            throw SendFailure.retry("Netgsm's inbox answered HTTP \(response.status)", after: nil)
        }
        switch answer.code {
        case "00": return answer.messages ?? []
        case "40": return []
        default: throw SendFailure.retry("Netgsm's inbox answered code \(answer.code)", after: nil)
        }
    }

    /// A report status: delivered, failed for good (with why), or nil while pending.
    static func delivery(status: Int) -> (delivered: Bool, reason: String)? {
        switch status {
        case 0: nil
        case 1: (true, "delivered")
        case 2: (false, "Netgsm: timed out before delivery")
        case 3: (false, "Netgsm: wrong or restricted number")
        case 4: (false, "Netgsm: could not be passed to the operator")
        case 11: (false, "Netgsm: refused by the operator")
        case 12: (false, "Netgsm: sending error")
        case 13: (false, "Netgsm: duplicate")
        case 14: (false, "Netgsm: no credit")
        case 15: (false, "Netgsm: the number is blacklisted")
        case 16: (false, "Netgsm: refused by İYS (no consent)")
        case 17: (false, "Netgsm: İYS error")
        case 103: (false, "Netgsm: the job failed")
        default: nil
        }
    }

    /// A sender as Netgsm writes it (`5321234567`, `905321234567`, `+905321234567`) in E.164.
    /// Anything else (a number abroad, a short code) is nil.
    static func e164(sender: String) -> String? {
        var digits = Substring(sender.hasPrefix("+") ? String(sender.dropFirst()) : sender)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.count == 12, digits.hasPrefix("90") { digits = digits.dropFirst(2) }
        if digits.count == 11, digits.hasPrefix("0") { digits = digits.dropFirst() }
        guard digits.count == 10, digits.hasPrefix("5") else { return nil }
        return "+90" + digits
    }
}
