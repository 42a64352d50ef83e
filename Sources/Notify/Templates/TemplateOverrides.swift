import Contracts
import Foundation
import Kernel
import Mustache
import SQLKit
import Storage

/// One message's wording as a tenant sees and edits it: the sector's, or the tenant's own.
public struct MessageTemplateView: Sendable, Codable, Equatable {
    public let message: String
    /// Absent: the wording for every channel without its own.
    public let channel: MessageChannel?
    public let language: String
    public let purpose: MessagePurpose
    public let text: String
    public let subject: String?
    /// Whether the tenant changed it.
    public let custom: Bool
}

/// A tenant's change of one wording.
public struct TemplateChange: Sendable, Decodable {
    public var text: String?
    public var subject: String?

    public init(text: String?, subject: String? = nil) {
        self.text = text
        self.subject = subject
    }
}

/// The tenant's own wording of the sector's messages, checked as strictly as the sector's
/// (Mustache that parses, known variables only); the purpose and the WhatsApp template stay the sector's.
public struct TemplateOverrides: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let templates: TemplateBook
    let clock: KernelClock
    static let languages = ["tr", "en"]

    public func list(by principal: Principal) async throws -> [MessageTemplateView] {
        let module = try registry.require(principal.sector)
        let stored = try await database.read(.tenant(principal.tenantID)) { sql in try await Self.rows(tenantID: principal.tenantID, message: nil, sql: sql) }
        return templates.entries(sector: principal.sector).flatMap { entry in
            Self.languages.map { language in
                let own = stored[Self.Place(message: entry.message.id, channel: entry.channel?.rawValue ?? "", language: language)]
                return MessageTemplateView(message: entry.message.id, channel: entry.channel, language: language, purpose: entry.purpose,
                                           text: own?.body ?? Self.sectorText(module, entry.message, entry.channel, language) ?? "",
                                           subject: own?.subject, custom: own != nil)
            }
        }
    }

    /// Sets the tenant's wording (owner only); the text must parse and use known variables only.
    public func set(message: String, channel: String?, language: String, _ change: TemplateChange, by principal: Principal) async throws -> [MessageTemplateView] {
        try principal.require(.manageCatalog)
        let (kind, channel) = try place(message: message, channel: channel, language: language, sector: principal.sector)
        guard let text = change.text else { throw DomainError.invalid("text", .missingField, "text is required.") }
        for (field, value, html) in [("text", Optional(text), false), ("subject", change.subject, false)] {
            guard let value else { continue }
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DomainError.invalid(field, .invalidValue, "\(field) must not be empty.")
            }
            do { _ = try TemplateBook.parse(value, html: html) } catch let problem as TemplateProblem {
                throw DomainError.invalid(field, .invalidValue, "The \(field) cannot be used: \(problem.description).")
            }
        }
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                INSERT INTO notify_templates (tenant_id, message, channel, language, body, subject, updated_by, updated_at)
                VALUES (\(bind: principal.tenantID), \(bind: kind.id), \(bind: channel?.rawValue ?? ""), \(bind: language), \(bind: text),
                        \(bind: change.subject), \(bind: principal.userID), \(bind: now))
                ON CONFLICT (tenant_id, message, channel, language)
                DO UPDATE SET body = excluded.body, subject = excluded.subject, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """).run()
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "template.change",
                                      entity: "message_template", entityID: "\(kind.id)/\(channel?.rawValue ?? "*")/\(language)",
                                      after: ["text": text, "subject": change.subject ?? ""], at: now)
        }
        return try await list(by: principal)
    }

    /// Goes back to the sector's wording.
    public func reset(message: String, channel: String?, language: String, by principal: Principal) async throws -> [MessageTemplateView] {
        try principal.require(.manageCatalog)
        let (kind, channel) = try place(message: message, channel: channel, language: language, sector: principal.sector)
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await sql.raw("DELETE FROM notify_templates WHERE tenant_id = \(bind: principal.tenantID) AND message = \(bind: kind.id) AND channel = \(bind: channel?.rawValue ?? "") AND language = \(bind: language)").run()
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "template.reset",
                                      entity: "message_template", entityID: "\(kind.id)/\(channel?.rawValue ?? "*")/\(language)", at: now)
        }
        return try await list(by: principal)
    }

    func place(message: String, channel: String?, language: String, sector: String) throws -> (MessageKind, MessageChannel?) {
        guard let kind = MessageKind(id: message), message.utf8.count <= 60 else { throw DomainError.notFound("The message '\(message.prefix(60))'") }
        var parsedChannel: MessageChannel?
        if let channel {
            guard let value = MessageChannel(rawValue: channel) else {
                throw DomainError.invalid("channel", .invalidParameter, "channel must be one of sms, whatsapp, email.")
            }
            parsedChannel = value
        }
        guard Self.languages.contains(language) else { throw DomainError.invalid("language", .invalidParameter, "language must be tr or en.") }
        guard templates.exact(sector: sector, message: kind, channel: parsedChannel) != nil else {
            throw DomainError.notFound("The message '\(message.prefix(60))'\(parsedChannel.map { " on \($0.rawValue)" } ?? "")")
        }
        return (kind, parsedChannel)
    }

    struct Place: Hashable {
        let message: String
        let channel: String
        let language: String
    }

    struct Stored {
        let body: String
        let subject: String?
    }

    static func rows(tenantID: UUID, message: String?, sql: any SQLDatabase) async throws -> [Place: Stored] {
        let filter: SQLQueryString = message.map { "AND message = \(bind: $0)" } ?? ""
        var result: [Place: Stored] = [:]
        for row in try await sql.raw("SELECT message, channel, language, body, subject FROM notify_templates WHERE tenant_id = \(bind: tenantID) \(filter)").all() {
            result[Place(message: try row.decode(column: "message", as: String.self), channel: try row.decode(column: "channel", as: String.self),
                         language: try row.decode(column: "language", as: String.self))] =
                Stored(body: try row.decode(column: "body", as: String.self), subject: try row.decode(column: "subject", as: String?.self))
        }
        return result
    }

    /// The tenant's wording of one message, applied over the sector's compiled template for `channel`.
    /// The tenant's wording for this channel, else its shared wording unless the sector words this
    /// channel on its own, over the sector's compiled template.
    static func applied(_ template: TemplateBook.Compiled, book: TemplateBook, sector: String, overrides: [Place: Stored],
                        message: MessageKind, channel: MessageChannel, language: String) -> TemplateBook.Compiled {
        let code = language.lowercased().hasPrefix("en") ? "en" : "tr"
        let sectorHasOwn = book.exact(sector: sector, message: message, channel: channel) != nil
        guard let own = overrides[Place(message: message.id, channel: channel.rawValue, language: code)]
                ?? (sectorHasOwn ? nil : overrides[Place(message: message.id, channel: "", language: code)]),
              let body = try? TemplateBook.parse(own.body, html: false) else { return template }
        var result = template
        result.replace(body: body, subject: own.subject.flatMap { try? TemplateBook.parse($0, html: false) }, language: code)
        return result
    }

    static func sectorText(_ module: any SectorModule, _ message: MessageKind, _ channel: MessageChannel?, _ language: String) -> String? {
        let template = module.templates.first { $0.message == message && $0.channel == channel }
            ?? TemplateBook.defaults.first { $0.message == message && $0.channel == channel }
        return template?.text.text(for: language)
    }
}
