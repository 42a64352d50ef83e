import Contracts
import Foundation
import Kernel
import Storage

/// A message as it would go out, shown before it is sent: its text, and for SMS its encoding
/// and how many parts (and so how much) it takes.
public struct MessagePreview: Sendable, Codable, Equatable {
    public let message: String
    public let channel: MessageChannel
    public let purpose: MessagePurpose
    public let text: String
    public let subject: String?
    public let encoding: SMSText.Encoding?
    public let segments: Int?
    /// Characters as the network counts them (septets for GSM, UTF-16 units for UCS-2).
    public let units: Int?
}

/// Renders the sector's (or the tenant's) template with an order's facts, for the front desk.
public struct MessagePreviews: Sendable {
    let notices: OrderNotices
    let registry: ModuleRegistry
    let templates: TemplateBook
    let database: any Database

    public func order(_ orderID: UUID, stage: String, channel: MessageChannel, by principal: Principal) async throws -> MessagePreview {
        try principal.require(.readOrders)
        let module = try registry.require(principal.sector)
        guard let name = module.workflow.stages.first(where: { $0.id == stage })?.name else {
            throw DomainError(.notFound, "The sector has no stage '\(stage)'; its stages: \(module.workflow.stages.map(\.id).joined(separator: ", ")).")
        }
        let message = MessageKind.stage(stage)
        guard let sectorTemplate = templates.template(sector: module.identity.id, message: message, channel: channel) else {
            throw DomainError.notFound("A \(channel.rawValue) message for '\(stage)'")
        }
        guard let notice = try await notices.notice(orderID: orderID, tenantID: principal.tenantID, items: true) else {
            throw DomainError.notFound("The order")
        }
        let language = notice.contact.locale
        let overrides = try await database.read(.tenant(principal.tenantID)) { sql in
            try await TemplateOverrides.rows(tenantID: principal.tenantID, message: message.id, sql: sql)
        }
        let template = TemplateOverrides.applied(sectorTemplate, book: templates, sector: module.identity.id, overrides: overrides,
                                                 message: message, channel: channel, language: language)
        let variables = MessageFacts(order: notice, stageName: name.text(for: language)).variables
        let rendered = MessageRenderer.render(template, channel: channel, variables: variables, language: language)
        let sms = channel == .sms ? SMSText(rendered.text) : nil
        return MessagePreview(message: message.id, channel: channel, purpose: template.purpose, text: rendered.text, subject: rendered.subject,
                              encoding: sms?.encoding, segments: sms?.segments, units: sms?.units)
    }
}
