import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Notify

/// Consent and the messages of a customer card, a message's preview before it goes out, and the
/// WhatsApp webhook Meta calls.
struct NotifyController {
    let kernel: Kernel
    let notify: NotifyModule
    let settings: APISettings

    struct ConsentRequest: Decodable {
        let changes: [ConsentChange]
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("customers/:id/consents") { _, context in
            try JSONBody.response(Items(try await notify.consent.current(customerID: try context.id(of: "The customer"), by: context.principal)))
        }
        api.get("customers/:id/consents/history") { _, context in
            try JSONBody.response(Items(try await notify.consent.history(customerID: try context.id(of: "The customer"), by: context.principal)))
        }
        api.post("customers/:id/consents") { request, context in
            let input = try await JSONBody.decode(ConsentRequest.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(Items(try await notify.consent.record(input.changes, customerID: try context.id(of: "The customer"),
                                                                               by: context.principal)))
        }
        api.get("customers/:id/messages") { request, context in
            let limit = try request.queryInt("limit") ?? 50
            return try JSONBody.response(Items(try await notify.messages.list(customerID: try context.id(of: "The customer"), limit: limit,
                                                                              by: context.principal)))
        }
        api.get("message-templates") { _, context in
            try JSONBody.response(Items(try await notify.templateOverrides.list(by: context.principal)))
        }
        api.put("message-templates/:message/:language") { request, context in
            let change = try await JSONBody.decode(TemplateChange.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(Items(try await notify.templateOverrides.set(
                message: context.parameters.get("message") ?? "", channel: request.queryGiven("channel"),
                language: context.parameters.get("language") ?? "", change, by: context.principal)))
        }
        api.delete("message-templates/:message/:language") { request, context in
            try JSONBody.response(Items(try await notify.templateOverrides.reset(
                message: context.parameters.get("message") ?? "", channel: request.queryGiven("channel"),
                language: context.parameters.get("language") ?? "", by: context.principal)))
        }
        api.get("orders/:id/message-preview") { request, context in
            guard let stage = request.query("stage") else { throw DomainError.invalid("stage", .missingField, "stage is required.") }
            guard CodeText.isCode(stage, maximumLength: 40) else {
                throw DomainError.invalid("stage", .invalidParameter, "stage is a stage id: lowercase letters, digits and _, 1–40 characters.")
            }
            let channelName = request.query("channel") ?? "sms"
            guard let channel = MessageChannel(rawValue: channelName) else {
                throw DomainError.invalid("channel", .invalidParameter, "channel must be one of sms, whatsapp, email.")
            }
            let order = try await kernel.orders.get(try context.id(of: "The order"), by: context.principal)
            return try JSONBody.response(try await notify.preview.order(order.id, stage: stage, channel: channel, by: context.principal))
        }
    }

    /// Meta's calls: no bearer token; the tenant is in the path, the signature proves the sender.
    func addWebhookRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("webhooks/whatsapp/:tenant") { request, context in
            let tenant = try context.id("tenant", of: "The tenant")
            do {
                let challenge = try await notify.whatsAppWebhook.verify(tenantID: tenant, mode: request.query("hub.mode"),
                                                                        token: request.query("hub.verify_token"),
                                                                        challenge: request.query("hub.challenge"))
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: challenge)))
            } catch let refusal as WhatsAppWebhook.Refusal {
                throw Self.problem(refusal)
            }
        }
        api.post("webhooks/whatsapp/:tenant") { request, context in
            let tenant = try context.id("tenant", of: "The tenant")
            let buffer = try await JSONBody.collect(request, limit: settings.maximumBodyBytes)
            do {
                let outcome = try await notify.whatsAppWebhook.receive(tenantID: tenant, body: Data(buffer.readableBytesView),
                                                                       signature: request.headers[Self.signature])
                return try JSONBody.response(WebhookAnswer(statuses: outcome.statuses, inbound: outcome.inbound, optOuts: outcome.optOuts))
            } catch let refusal as WhatsAppWebhook.Refusal {
                throw Self.problem(refusal)
            }
        }
    }

    /// The link at the foot of a marketing e-mail: a page that asks (GET, as a mail scanner may
    /// follow links), and the one-click unsubscribe (POST, RFC 8058).
    func addUnsubscribeRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("unsubscribe/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            return Self.html(notify.unsubscribe.page(token: token, done: false), status: notify.unsubscribe.isValid(token) ? .ok : .notFound)
        }
        api.post("unsubscribe/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            _ = try await JSONBody.collect(request, limit: 4096)
            guard try await notify.unsubscribe.unsubscribe(token) else {
                return Self.html(notify.unsubscribe.page(token: token, done: false), status: .notFound)
            }
            return Self.html(notify.unsubscribe.page(token: token, done: true), status: .ok)
        }
    }

    static func html(_ page: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    struct WebhookAnswer: Encodable {
        let statuses: Int
        let inbound: Int
        let optOuts: Int
    }

    static let signature = HTTPField.Name("X-Hub-Signature-256")!

    static func problem(_ refusal: WhatsAppWebhook.Refusal) -> DomainError {
        switch refusal {
        case .notConfigured: DomainError.notFound("WhatsApp for this tenant")
        case .forbidden: DomainError(.forbidden, "The verify token or the signature does not match.")
        case .malformed: DomainError(.invalidJSON, "The body is not a WhatsApp Business notification.")
        }
    }
}
