import Contracts
import Foundation
import NIOHTTP1

/// WhatsApp through Meta's Cloud API (`POST {graph}/{phone-number-id}/messages` with the
/// business's bearer token). An approved template with its body parameters goes out at any time;
/// free text only while the customer's 24-hour service window is open (they wrote to us within
/// the last day). Errors come back as `{error: {code, message, error_data: {details}}}`; delivery
/// and later failures arrive by webhook (`WhatsAppWebhook`).
public struct WhatsAppCloud: ChannelClient {
    public let channel = MessageChannel.whatsapp
    public let provider = "whatsapp_cloud"
    public let accountTexts = ["whatsapp_phone_number_id"]
    public let accountSecrets = ["whatsapp_token"]

    let transport: HTTPTransport
    /// `https://graph.facebook.com/v23.0` in production.
    let baseURL: String

    public init(transport: HTTPTransport, baseURL: String) {
        self.transport = transport
        self.baseURL = baseURL
    }

    public func send(_ message: OutgoingMessage, account: ChannelAccount) async throws -> Accepted {
        let phoneNumberID = try account.require("whatsapp_phone_number_id")
        let token = try account.require("whatsapp_token")
        let body: [String: Any]
        if let template = message.whatsApp {
            body = [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": message.recipient, "type": "template",
                "template": [
                    "name": template.name, "language": ["code": template.language],
                    "components": [["type": "body", "parameters": template.parameters.map { ["type": "text", "text": $0] }]],
                ] as [String: Any],
            ]
        } else if message.sessionOpen {
            body = [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": message.recipient, "type": "text",
                "text": ["preview_url": false, "body": String(message.text.prefix(4096))] as [String: Any],
            ]
        } else {
            throw SendFailure.permanent("outside the customer's 24-hour WhatsApp window, and the message has no approved template")
        }
        let response = try await transport.send(.POST, "\(baseURL)/\(phoneNumberID)/messages",
                                                 headers: [("Authorization", "Bearer \(token)")],
                                                 json: try JSONSerialization.data(withJSONObject: body))
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        if (200..<300).contains(response.status) {
            guard let messages = json?["messages"] as? [[String: Any]], let id = messages.first?["id"] as? String else {
                throw SendFailure.unconfirmed("WhatsApp answered HTTP \(response.status) without a message id")
            }
            return Accepted(providerID: id, costUnits: 1)
        }
        guard let error = json?["error"] as? [String: Any], let code = error["code"] as? Int else {
            throw response.status >= 500 || response.status == 429
                ? SendFailure.retry("WhatsApp answered HTTP \(response.status)", after: nil)
                : SendFailure.permanent("WhatsApp answered HTTP \(response.status)")
        }
        let details = ((error["error_data"] as? [String: Any])?["details"] as? String) ?? (error["message"] as? String) ?? ""
        let reason = "WhatsApp error \(code): \(details.prefix(200))"
        switch Self.outcome(code: code) {
        case .retry(let after): throw SendFailure.retry(reason, after: after)
        case .permanent: throw SendFailure.permanent(reason)
        }
    }

    enum Outcome: Equatable {
        case retry(after: Duration?)
        case permanent
    }

    /// Meta's error codes: throughput, pair and account rate limits and server trouble retry;
    /// everything else (outside the window 131047, undeliverable 131026, template problems,
    /// tokens, policy) does not, and the message goes to the next channel.
    static func outcome(code: Int) -> Outcome {
        switch code {
        case 130429, 4, 80007: .retry(after: .seconds(30))
        case 131056: .retry(after: .seconds(60))
        case 1, 2, 131000, 131016, 133004, 131057: .retry(after: nil)
        default: .permanent
        }
    }
}
