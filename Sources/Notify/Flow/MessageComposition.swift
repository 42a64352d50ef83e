import Contracts
import Foundation
import Kernel

/// One channel's attempt at a message, written out: its row for the log and what goes to the provider.
struct ComposedMessage {
    let attempt: MessageLog.Attempt
    var outgoing: OutgoingMessage
}

extension Notifier {
    /// Why `channel` must not carry the message to this customer, or nil when it may.
    func reasonNotToSend(channel: MessageChannel, purpose: MessagePurpose, facts: MessageFacts, consent latest: ConsentEntry?) -> String? {
        let recipient = channel == .email ? facts.email : facts.phone
        if facts.customerDeleted { return "the customer's card is deleted" }
        if facts.preferredChannel == .none { return "the customer asked not to be contacted" }
        if !ConsentRule.allows(purpose: purpose, latest: latest?.granted) {
            return purpose == .commercial ? "no commercial consent for \(channel.rawValue)" : "the customer withdrew \(channel.rawValue) messages"
        }
        if recipient == nil { return channel == .email ? "no e-mail address" : "no phone number" }
        if channels[channel] == nil { return "\(channel.rawValue) is not available on this server" }
        if channel == .email, purpose == .commercial, unsubscribe.link(tenantID: facts.tenantID, customerID: facts.customerID) == nil {
            return "commercial e-mail needs an unsubscribe link: set CRM_PUBLIC_URL and CRM_SECRET_KEY"
        }
        return nil
    }

    /// The message rendered for `channel` (which `reasonNotToSend` allowed: the recipient exists).
    func compose(channel: MessageChannel, template: TemplateBook.Compiled, client: any ChannelClient, key: String, message: MessageKind,
                 purpose: MessagePurpose, facts: MessageFacts, existingID: UUID?, options: SectorSettings, jobID: Int64) -> ComposedMessage {
        let language = facts.locale
        let recipient = (channel == .email ? facts.email : facts.phone) ?? ""
        let unsubscribeLink = channel == .email && purpose == .commercial ? unsubscribe.link(tenantID: facts.tenantID, customerID: facts.customerID) : nil
        var variables = facts.variables
        if let unsubscribeLink { variables["unsubscribe"] = unsubscribeLink }
        var rendered = MessageRenderer.render(template, channel: channel, variables: variables, language: language)
        if channel == .email { rendered = MessageRenderer.mail(rendered, unsubscribe: unsubscribeLink, language: language) }
        let attempt = MessageLog.Attempt(
            id: existingID ?? UUID(), key: key, customerID: facts.customerID, orderID: facts.orderID, message: message,
            purpose: purpose, channel: channel, recipient: recipient, text: rendered.text,
            sms: channel == .sms ? SMSText(rendered.text) : nil, provider: client.provider, jobID: jobID
        )
        var outgoing = OutgoingMessage(
            id: attempt.id, purpose: purpose, recipient: recipient, text: rendered.text, subject: rendered.subject ?? facts.businessName,
            html: rendered.html,
            whatsApp: rendered.whatsAppParameters.map { (template.whatsApp!.name, options.text("whatsapp_language") ?? "tr", $0) }
        )
        outgoing.unsubscribe = unsubscribeLink
        return ComposedMessage(attempt: attempt, outgoing: outgoing)
    }

    /// The purpose of a message: its templates' (one for all channels, checked at start-up).
    func purpose(of message: MessageKind, sector: String) -> MessagePurpose {
        MessageChannel.allCases.lazy.compactMap { templates.template(sector: sector, message: message, channel: $0)?.purpose }.first ?? .transactional
    }
}
