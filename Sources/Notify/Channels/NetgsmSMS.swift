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
        let user = try account.require("netgsm_usercode")
        let password = try account.require("netgsm_password")
        let header = try account.require("netgsm_header")
        guard let number = Self.nationalNumber(message.recipient) else {
            throw SendFailure.permanent("Netgsm sends to Turkish numbers only, not \(message.recipient.prefix(4))…")
        }
        let text = SMSText(message.text)
        let body = SendBody(msgheader: header, messages: [.init(msg: message.text, no: number)],
                            encoding: text.encoding == .gsm7 ? nil : "TR",
                            iysfilter: message.purpose == .commercial ? "11" : "0", appname: "crm")
        let response = try await transport.send(.POST, baseURL + "/sms/rest/v2/send",
                                                 headers: [("Authorization", HTTPTransport.basic(user, password))],
                                                 json: try JSONEncoder().encode(body))
        if response.status >= 500 { throw SendFailure.retry("Netgsm answered HTTP \(response.status)", after: nil) }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
            throw SendFailure.retry("Netgsm answered HTTP \(response.status) without a result code", after: nil)
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

    /// `+905321234567` → `5321234567`; nil for a number outside Turkey.
    static func nationalNumber(_ e164: String) -> String? {
        guard e164.hasPrefix("+90"), e164.count == 13 else { return nil }
        return String(e164.dropFirst(3))
    }
}
