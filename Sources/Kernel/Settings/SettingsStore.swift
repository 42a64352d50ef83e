import Contracts
import Foundation
import SQLKit
import Storage

/// One setting with the tenant's value, as the API shows it: secrets only say whether they are set.
public struct SettingView: Sendable, Encodable {
    public let owner: String
    public let key: String
    public let name: LocalizedText
    public let kind: SettingDefinition.Kind
    /// Integer kinds: a number (booleans 0 or 1); text: a string or nil; secrets: never.
    public let value: SettingValue?
    public let defaultValue: SettingValue?
    /// Secrets: whether one is stored.
    public let isSet: Bool
    public let minimum: Int?
    public let maximum: Int?
    public let pattern: String?
    public let maxLength: Int?
}

/// A setting's value as it travels: a number or a text.
public enum SettingValue: Sendable, Equatable, Encodable {
    case integer(Int)
    case text(String)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

/// What a caller asks a setting to become.
public enum SettingInput: Sendable, Equatable, Decodable {
    case integer(Int)
    case text(String)
    case boolean(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .boolean(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }
}

/// The tenant's values of its settings, in `settings (tenant_id, owner, key, …)`: integers as
/// numbers, text as text, secrets sealed by `SecretBox` (a setting without a row has its default).
enum SettingsStore {
    struct Row {
        var integer: Int?
        var text: String?
        var secret: String?
    }

    static func rows(tenantID: UUID, sql: any SQLDatabase) async throws -> [String: Row] {
        var rows: [String: Row] = [:]
        for row in try await sql.raw("""
            SELECT owner, key, integer_value, text_value, secret_value FROM settings WHERE tenant_id = \(bind: tenantID)
            """).all() {
            let place = try row.decode(column: "owner", as: String.self) + "/" + row.decode(column: "key", as: String.self)
            rows[place] = Row(integer: try row.decode(column: "integer_value", as: Int?.self),
                              text: try row.decode(column: "text_value", as: String?.self),
                              secret: try row.decode(column: "secret_value", as: String?.self))
        }
        return rows
    }

    /// The values a sector module prices with: its own integer and text settings, defaults filled in.
    static func sectorSettings(module: any SectorModule, tenantID: UUID, sql: any SQLDatabase) async throws -> SectorSettings {
        try await values(module.settings, owner: module.identity.id, tenantID: tenantID, sql: sql)
    }

    /// One owner's integer and text settings, defaults filled in.
    static func values(_ definitions: [SettingDefinition], owner: String, tenantID: UUID, sql: any SQLDatabase) async throws -> SectorSettings {
        let rows = try await rows(tenantID: tenantID, sql: sql)
        var values: [String: Int] = [:]
        var texts: [String: String] = [:]
        for definition in definitions {
            let row = rows[owner + "/" + definition.key]
            switch definition.kind {
            case .secret: continue
            case .text: if let text = row?.text ?? definition.defaultText { texts[definition.key] = text }
            default: values[definition.key] = row?.integer ?? definition.defaultValue
            }
        }
        return SectorSettings(values: values, texts: texts)
    }

    static func views(_ settings: [OwnedSetting], tenantID: UUID, sql: any SQLDatabase) async throws -> [SettingView] {
        let rows = try await rows(tenantID: tenantID, sql: sql)
        return settings.map { setting in
            let definition = setting.definition
            let row = rows[setting.owner + "/" + definition.key]
            let value: SettingValue?
            let fallback: SettingValue?
            switch definition.kind {
            case .secret: (value, fallback) = (nil, nil)
            case .text: (value, fallback) = ((row?.text ?? definition.defaultText).map(SettingValue.text), definition.defaultText.map(SettingValue.text))
            default: (value, fallback) = (.integer(row?.integer ?? definition.defaultValue), .integer(definition.defaultValue))
            }
            return SettingView(
                owner: setting.owner, key: definition.key, name: definition.name, kind: definition.kind, value: value, defaultValue: fallback,
                isSet: definition.kind == .secret ? row?.secret != nil : true,
                minimum: definition.isInteger ? definition.range.lowerBound : nil, maximum: definition.isInteger ? definition.range.upperBound : nil,
                pattern: definition.pattern, maxLength: definition.isInteger ? nil : definition.maximumLength
            )
        }
    }

    /// Checks `input` against the declaration and stores it; returns what the audit log may show
    /// of it (never a secret).
    static func set(
        _ setting: OwnedSetting, to input: SettingInput, secrets: SecretBox?, tenantID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws -> String {
        let definition = setting.definition
        var row = Row()
        let shown: String
        switch (definition.kind, input) {
        case (.boolean, .boolean(let flag)):
            row.integer = flag ? 1 : 0
        case (.money, .integer(let number)), (.basisPoints, .integer(let number)), (.integer, .integer(let number)), (.boolean, .integer(let number)):
            guard definition.range.contains(number) else {
                throw DomainError.invalid("value", .invalidValue, "\(definition.key) must be \(definition.range.lowerBound)–\(definition.range.upperBound).")
            }
            row.integer = number
        case (.text, .text(let text)), (.secret, .text(let text)):
            let text = try checkedText(text, definition)
            if definition.kind == .secret {
                guard let secrets else {
                    throw DomainError(.unavailable, "This server has no CRM_SECRET_KEY, so it cannot store secrets; ask its operator.")
                }
                row.secret = try secrets.seal(text, boundTo: place(tenantID, setting))
            } else {
                row.text = text
            }
        default:
            throw DomainError.invalid("value", .wrongType, "\(definition.key) takes \(expected(definition.kind)).")
        }
        try await sql.raw("""
            INSERT INTO settings (tenant_id, owner, key, integer_value, text_value, secret_value, updated_at)
            VALUES (\(bind: tenantID), \(bind: setting.owner), \(bind: definition.key), \(bind: row.integer), \(bind: row.text), \(bind: row.secret), \(bind: now))
            ON CONFLICT (tenant_id, owner, key) DO UPDATE SET integer_value = excluded.integer_value, text_value = excluded.text_value,
                secret_value = excluded.secret_value, updated_at = excluded.updated_at
            """).run()
        if let integer = row.integer { shown = String(integer) } else if let text = row.text { shown = text } else { shown = "(secret)" }
        return shown
    }

    /// A secret's plain value, for the part of the product that uses it (never for an answer or a log).
    static func secret(owner: String, key: String, secrets: SecretBox?, tenantID: UUID, sql: any SQLDatabase) async throws -> String? {
        guard let sealed = try await sql.raw("""
            SELECT secret_value FROM settings WHERE tenant_id = \(bind: tenantID) AND owner = \(bind: owner) AND key = \(bind: key)
            """).first(decodingColumn: "secret_value", as: String?.self) ?? nil else { return nil }
        guard let secrets else { throw SecretUnreadable() }
        return try secrets.open(sealed, boundTo: "\(tenantID.uuidString)/\(owner)/\(key)")
    }

    private static func place(_ tenantID: UUID, _ setting: OwnedSetting) -> String {
        "\(tenantID.uuidString)/\(setting.owner)/\(setting.key)"
    }

    private static func checkedText(_ text: String, _ definition: SettingDefinition) throws -> String {
        let checked: String
        if definition.kind == .secret {
            // A password is taken exactly as typed.
            guard !text.isEmpty, text.unicodeScalars.count <= definition.maximumLength, !text.unicodeScalars.contains("\u{0}") else {
                throw DomainError.invalid("value", .invalidValue, "\(definition.key) must be 1–\(definition.maximumLength) characters, without NUL.")
            }
            checked = text
        } else {
            var errors = FieldErrors()
            let text = errors.requiredText("value", text, maximum: definition.maximumLength)
            try errors.throwIfAny()
            checked = text!
        }
        if let pattern = definition.pattern, let regex = try? Regex(pattern), (try? regex.wholeMatch(in: checked)) == nil {
            throw DomainError.invalid("value", .invalidValue, "\(definition.key) must match \(pattern).")
        }
        return checked
    }

    private static func expected(_ kind: SettingDefinition.Kind) -> String {
        switch kind {
        case .boolean: "true or false"
        case .money, .basisPoints, .integer: "a whole number"
        case .text, .secret: "a string"
        }
    }
}
