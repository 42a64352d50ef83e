import Contracts
import Foundation
import SQLKit

/// One sector setting with the tenant's value.
public struct SettingView: Sendable, Encodable {
    public let key: String
    public let name: LocalizedText
    public let kind: SettingDefinition.Kind
    public let value: Int
    public let defaultValue: Int
}

/// The tenant's values of its sector's settings.
enum SectorSettingsStore {
    static func load(module: any SectorModule, tenantID: UUID, sql: any SQLDatabase) async throws -> SectorSettings {
        var values = Dictionary(uniqueKeysWithValues: module.settings.map { ($0.key, $0.defaultValue) })
        for row in try await sql.raw("SELECT key, value FROM tenant_settings WHERE tenant_id = \(bind: tenantID)").all() {
            let key = try row.decode(column: "key", as: String.self)
            if values[key] != nil { values[key] = try row.decode(column: "value", as: Int.self) }
        }
        return SectorSettings(values: values)
    }

    static func views(module: any SectorModule, settings: SectorSettings) -> [SettingView] {
        module.settings.map {
            SettingView(key: $0.key, name: $0.name, kind: $0.kind, value: settings.integer($0.key), defaultValue: $0.defaultValue)
        }
    }

    static func set(_ key: String, value: Int, module: any SectorModule, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        guard let definition = module.settings.first(where: { $0.key == key }) else {
            throw DomainError.notFound("The setting '\(key.prefix(40))'")
        }
        let valid: Bool
        switch definition.kind {
        case .money: valid = (0...100_000_000).contains(value)
        case .basisPoints: valid = (0...100_000).contains(value)
        case .integer: valid = (0...1_000_000).contains(value)
        case .boolean: valid = value == 0 || value == 1
        }
        guard valid else {
            throw DomainError.invalid("value", .invalidValue, "\(value) is not a valid \(definition.kind.rawValue) for \(key).")
        }
        try await sql.raw("""
            INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES (\(bind: tenantID), \(bind: key), \(bind: value), \(bind: now))
            ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """).run()
    }
}
