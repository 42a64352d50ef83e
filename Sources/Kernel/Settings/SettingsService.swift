import Contracts
import Foundation
import SQLKit
import Storage

/// The tenant's settings: the kernel's, the feature modules' and its sector module's, each typed
/// and bounded as declared; secrets stored encrypted and never answered.
public struct SettingsService: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let catalog: SettingsCatalog
    let secrets: SecretBox?
    let clock: Clock

    public func list(_ principal: Principal) async throws -> [SettingView] {
        let settings = catalog.settings(for: try registry.require(principal.sector))
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await SettingsStore.views(settings, tenantID: principal.tenantID, sql: sql)
        }
    }

    /// Sets one setting (owner only); returns every setting after the change.
    public func change(_ key: String, to input: SettingInput?, by principal: Principal) async throws -> [SettingView] {
        try principal.require(.manageCatalog)
        guard let input else { throw DomainError.invalid("value", .missingField, "value is required.") }
        let settings = catalog.settings(for: try registry.require(principal.sector))
        guard let setting = settings.first(where: { $0.key == key }) else {
            throw DomainError.notFound("The setting '\(key.prefix(48))'")
        }
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let before = try await SettingsStore.views([setting], tenantID: principal.tenantID, sql: sql).first
            let shown = try await SettingsStore.set(setting, to: input, secrets: secrets, tenantID: principal.tenantID, at: now, sql: sql)
            let secret = setting.definition.kind == .secret
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "setting.change",
                                      entity: "setting", entityID: "\(setting.owner)/\(key)",
                                      before: secret ? ["isSet": before?.isSet == true ? "true" : "false"] : ["value": before?.value.map(Self.text) ?? ""],
                                      after: secret ? ["isSet": "true"] : ["value": shown], at: now)
            return try await SettingsStore.views(settings, tenantID: principal.tenantID, sql: sql)
        }
    }

    /// The integer and text settings one declaration's owner (a feature module) declared, as the
    /// tenant set them, defaults filled in. Secrets are not among them (`secret(owner:key:tenantID:)`).
    public func values(owner: String, tenantID: UUID) async throws -> SectorSettings {
        guard let declaration = catalog.declarations.first(where: { $0.owner == owner }) else { return SectorSettings(values: [:]) }
        return try await database.read(.tenant(tenantID)) { sql in
            try await SettingsStore.values(declaration.settings, owner: owner, tenantID: tenantID, sql: sql)
        }
    }

    /// The settings of `declaration` as the tenant set them, defaults filled in, read in the caller's
    /// transaction (a subscriber deciding inside the change it hangs on).
    public static func values(_ declaration: SettingsDeclaration, tenantID: UUID, sql: any SQLDatabase) async throws -> SectorSettings {
        try await SettingsStore.values(declaration.settings, owner: declaration.owner, tenantID: tenantID, sql: sql)
    }

    /// The active tenants that set a text or secret setting (say, the tenants with an SMS account),
    /// at most `limit`, for a job that works through them.
    public func tenants(setting key: String, owner: String, limit: Int = 10_000) async throws -> [UUID] {
        try await database.read(.system) { sql in
            try await sql.raw("""
                SELECT s.tenant_id FROM settings s JOIN tenants t ON t.id = s.tenant_id
                WHERE s.owner = \(bind: owner) AND s.key = \(bind: key) AND t.status = 'active'
                  AND (s.text_value IS NOT NULL OR s.secret_value IS NOT NULL)
                ORDER BY s.tenant_id \(SQLLimit(limit))
                """).all().map { try $0.decode(column: "tenant_id", as: UUID.self) }
        }
    }

    /// A secret's plain value for the part of the product that uses it (a channel signing in to
    /// its provider); nil when none is stored. Never for an answer, a log or an audit row.
    public func secret(owner: String, key: String, tenantID: UUID) async throws -> String? {
        try await database.read(.tenant(tenantID)) { sql in
            try await SettingsStore.secret(owner: owner, key: key, secrets: secrets, tenantID: tenantID, sql: sql)
        }
    }

    private static func text(_ value: SettingValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .text(let text): text
        }
    }
}
