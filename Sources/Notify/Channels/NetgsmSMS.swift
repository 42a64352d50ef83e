import Contracts
import Foundation
import NIOHTTP1

/// SMS through Netgsm's REST API v2 (`POST /sms/rest/v2/send`, Basic auth with the user code and
/// API password): one message per request, the number in the national form `5XXXXXXXXX`,
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
        let header = try account.require("netgsm_header")
        guard let number = Self.nationalNumber(message.recipient) else {
            throw SendFailure.permanent("Netgsm sends to Turkish numbers only, not \(message.recipient.prefix(4))…")
        }
        let text = SMSText(message.text)
        let body = SendBody(msgheader: header, messages: [.init(msg: message.text, no: number)],
                            encoding: text.encoding == .gsm7 ? nil : "TR",
                            iysfilter: message.purpose == .commercial ? "11" : "0", appname: "crm")
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
            return Accepted(providerID: answer.jobid, costUnits: text.segments)
        case .retry(let after):
            throw SendFailure.retry("Netgsm code \(answer.code): \(Self.meaning(answer.code))", after: after)
        case .permanent:
            throw SendFailure.permanent("Netgsm code \(answer.code): \(Self.meaning(answer.code))")
        }
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
