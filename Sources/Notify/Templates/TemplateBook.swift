import Contracts
import Foundation
import Kernel
import Mustache
import Storage

/// Every sector's message templates, parsed once and checked when the server starts: a template
/// that does not parse, or names a variable `MessageVariables` does not know, stops start-up.
public struct TemplateBook: Sendable {
    struct Key: Hashable {
        let sector: String
        let message: MessageKind
        let channel: MessageChannel?
    }

    /// A template ready to render.
    struct Compiled: Sendable {
        let purpose: MessagePurpose
        var body: LocalizedTemplate
        var subject: LocalizedTemplate?
        let whatsApp: WhatsAppTemplate?

        /// The same template with one language's wording replaced (a tenant's own).
        mutating func replace(body text: MustacheTemplate, subject: MustacheTemplate?, language: String) {
            if language == "en" { body.en = text } else { body.tr = text }
            if let subject {
                var current = self.subject ?? LocalizedTemplate(tr: subject, en: subject)
                if language == "en" { current.en = subject } else { current.tr = subject }
                self.subject = current
            }
        }
    }

    struct LocalizedTemplate: Sendable {
        var tr: MustacheTemplate
        var en: MustacheTemplate

        func template(for language: String) -> MustacheTemplate {
            language.lowercased().hasPrefix("en") ? en : tr
        }
    }

    private let templates: [Key: Compiled]

    public init(registry: ModuleRegistry) throws {
        var templates: [Key: Compiled] = [:]
        for module in registry.modules {
            let sector = module.identity.id
            for template in module.templates {
                let key = Key(sector: sector, message: template.message, channel: template.channel)
                guard templates[key] == nil else {
                    throw ConfigurationError("sector '\(sector)' has two templates for \(template.message.id) on \(template.channel?.rawValue ?? "every channel")")
                }
                // One message has one purpose on every channel: consent, quiet hours and İYS filtering go by it.
                if let other = module.templates.first(where: { $0.message == template.message && $0.purpose != template.purpose }) {
                    throw ConfigurationError("sector '\(sector)', template \(template.message.id): it is \(template.purpose.rawValue) on "
                                             + "\(template.channel?.rawValue ?? "every channel") and \(other.purpose.rawValue) on \(other.channel?.rawValue ?? "every channel"); one message has one purpose")
                }
                do {
                    templates[key] = try Self.compile(template)
                } catch let error as TemplateProblem {
                    throw ConfigurationError("sector '\(sector)', template \(template.message.id): \(error.description)")
                }
            }
        }
        // Messages a sector leaves out get the product's own wording.
        for module in registry.modules {
            for template in Self.defaults {
                let key = Key(sector: module.identity.id, message: template.message, channel: template.channel)
                if !MessageChannel.allCases.contains(where: { templates[Key(sector: key.sector, message: key.message, channel: $0)] != nil }),
                   templates[key] == nil {
                    templates[key] = try Self.compile(template)
                }
            }
        }
        self.templates = templates
    }

    /// The wording of messages every sector can send, for sectors without their own.
    static let defaults = [
        MessageTemplate(message: .appointmentReminder, text: LocalizedText(
            tr: "{{customer}}, {{appointmentAt}} randevunuzu hatırlatırız. {{branch}} {{branchPhone}}",
            en: "{{customer}}, a reminder of your appointment at {{appointmentAt}}. {{branch}} {{branchPhone}}"
        )),
        MessageTemplate(message: .uncollectedReminder, text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı siparişiniz hazır ve sizi bekliyor. {{branch}} {{branchPhone}}",
            en: "{{customer}}, your order {{order}} is ready and waiting for you. {{branch}} {{branchPhone}}"
        )),
        MessageTemplate(message: .paymentReminder, text: LocalizedText(
            tr: "{{customer}}, {{dueAt}} vadeli {{amountDue}} ödemeniz henüz bize ulaşmadı. Ödediyseniz bu mesajı dikkate almayın. {{business}} {{branchPhone}}",
            en: "{{customer}}, your payment of {{amountDue}} due {{dueAt}} has not reached us yet. If you have paid, please ignore this message. {{business}} {{branchPhone}}"
        )),
        MessageTemplate(message: .pointsExpiry, purpose: .commercial, text: LocalizedText(
            tr: "{{customer}}, {{points}} puanınız {{pointsExpireAt}} tarihinde sona eriyor. Bir sonraki siparişinizde kullanmayı unutmayın. {{business}} {{branchPhone}}",
            en: "{{customer}}, your {{points}} points lapse on {{pointsExpireAt}}. Remember to use them on your next order. {{business}} {{branchPhone}}"
        )),
        MessageTemplate(message: .accountStatement, channel: .email, text: LocalizedText(
            tr: "Sayın {{customerName}},\n\n{{periodFrom}} – {{periodTo}} dönemine ait cari hesap ekstreniz ektedir. Dönem sonu bakiyeniz: {{balance}}.\n\nSorularınız için {{branch}} şubemize {{branchPhone}} numarasından ulaşabilirsiniz.\n\n{{business}}",
            en: "Dear {{customerName}},\n\nplease find attached your account statement for {{periodFrom}} – {{periodTo}}. The balance at the end of the period: {{balance}}.\n\nFor any questions, call our {{branch}} branch on {{branchPhone}}.\n\n{{business}}"
        ), subject: LocalizedText(tr: "{{business}} hesap ekstresi {{periodFrom}} – {{periodTo}}", en: "{{business}} account statement {{periodFrom}} – {{periodTo}}")),
    ]

    /// The template of `message` for `channel`: the channel's own wording, else the shared one.
    func template(sector: String, message: MessageKind, channel: MessageChannel) -> Compiled? {
        templates[Key(sector: sector, message: message, channel: channel)] ?? templates[Key(sector: sector, message: message, channel: nil)]
    }

    /// The sector's templates of one sector, for listing: message, channel, purpose and source text.
    func entries(sector: String) -> [(message: MessageKind, channel: MessageChannel?, purpose: MessagePurpose)] {
        templates.filter { $0.key.sector == sector }.map { ($0.key.message, $0.key.channel, $0.value.purpose) }
            .sorted { ($0.message.id, $0.channel?.rawValue ?? "") < ($1.message.id, $1.channel?.rawValue ?? "") }
    }

    /// The template registered under exactly this channel (nil: the shared wording).
    func exact(sector: String, message: MessageKind, channel: MessageChannel?) -> Compiled? {
        templates[Key(sector: sector, message: message, channel: channel)]
    }

    /// Whether the sector writes this message at all, on some channel.
    func writes(sector: String, message: MessageKind) -> Bool {
        MessageChannel.allCases.contains { template(sector: sector, message: message, channel: $0) != nil }
    }

    /// Every template renders as plain text (an e-mail's HTML part is made from it, escaped once).
    static func compile(_ template: MessageTemplate, known: Set<String> = Set(MessageVariables.all.keys)) throws -> Compiled {
        let html = false
        if let whatsApp = template.whatsApp {
            for name in whatsApp.parameters where MessageVariables.all[name] == nil || name == "items" {
                throw TemplateProblem("the WhatsApp parameter '\(name)' is not a single variable")
            }
        }
        return Compiled(
            purpose: template.purpose,
            body: try localized(template.text, html: html, known: known),
            subject: try template.subject.map { try localized($0, html: false, known: known) },
            whatsApp: template.whatsApp
        )
    }

    static func localized(_ text: LocalizedText, html: Bool, known: Set<String> = Set(MessageVariables.all.keys)) throws -> LocalizedTemplate {
        LocalizedTemplate(tr: try parse(text.tr, html: html, known: known), en: try parse(text.en, html: html, known: known))
    }

    /// Parses one text and checks every name it uses. Plain texts (SMS, WhatsApp, subjects) are
    /// rendered without HTML escaping.
    static func parse(_ text: String, html: Bool, known: Set<String> = Set(MessageVariables.all.keys)) throws -> MustacheTemplate {
        guard text.unicodeScalars.count <= 2000 else { throw TemplateProblem("a template is at most 2000 characters") }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: (html ? "" : "{{% CONTENT_TYPE: TEXT}}") + text)
        } catch {
            throw TemplateProblem("it does not parse as Mustache: \(error)")
        }
        let probe = NameProbe()
        _ = template.render(probe)
        let unknown = probe.names.subtracting(known).union(probe.itemNames.subtracting(MessageVariables.itemFields))
        guard unknown.isEmpty else {
            throw TemplateProblem("unknown variable\(unknown.count == 1 ? "" : "s") \(unknown.sorted().joined(separator: ", ")); "
                                  + "known: \(known.sorted().joined(separator: ", "))")
        }
        return template
    }
}

/// Records the names a template looks up, by rendering it against itself: every name answers a
/// value (so sections open), and `items` answers one item that records its own fields.
private final class NameProbe: MustacheParent {
    var names: Set<String> = []
    var itemNames: Set<String> = []

    func child(named name: String) -> Any? {
        names.insert(name)
        if name == "items" { return [ItemProbe(owner: self)] }
        return "x"
    }

    final class ItemProbe: MustacheParent {
        let owner: NameProbe
        init(owner: NameProbe) { self.owner = owner }

        func child(named name: String) -> Any? {
            guard MessageVariables.itemFields.contains(name) else { return nil }
            owner.itemNames.insert(name)
            return "x"
        }
    }
}

public struct TemplateProblem: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
