import Contracts
import Storage

/// Settings declared outside sector modules: the kernel's own and each feature module's
/// (a notification channel's sender title, an invoice series…), each under its owner's id.
public struct SettingsDeclaration: Sendable {
    public let owner: String
    public let settings: [SettingDefinition]

    public init(owner: String, settings: [SettingDefinition]) {
        self.owner = owner
        self.settings = settings
    }
}

/// A setting with the owner that declared it.
struct OwnedSetting: Sendable {
    let owner: String
    let definition: SettingDefinition

    var key: String { definition.key }
}

/// Every setting a tenant has: the declarations' and its sector module's. Checked at start-up:
/// sound declarations, and one key means one setting for every sector.
public struct SettingsCatalog: Sendable {
    let declarations: [SettingsDeclaration]

    public init(_ declarations: [SettingsDeclaration] = [], registry: ModuleRegistry) throws {
        let shared = declarations.flatMap { $0.settings.map(\.key) }
        if Set(shared).count != shared.count {
            throw ConfigurationError("two declared settings share a key: \(Self.repeated(shared).joined(separator: ", "))")
        }
        for declaration in declarations {
            guard SectorIdentity.isValidID(declaration.owner) || declaration.owner == KernelMigrations.owner else {
                throw ConfigurationError("setting owner '\(declaration.owner)' must be 2–32 lowercase letters or digits")
            }
            if registry.module(id: declaration.owner) != nil {
                throw ConfigurationError("setting owner '\(declaration.owner)' is a sector module's id")
            }
            let problems = declaration.settings.flatMap { $0.problems() }
            guard problems.isEmpty else { throw ConfigurationError("settings of '\(declaration.owner)': \(problems.joined(separator: "; "))") }
        }
        for module in registry.modules {
            let clashes = Set(module.settings.map(\.key)).intersection(shared)
            guard clashes.isEmpty else {
                throw ConfigurationError("sector '\(module.identity.id)' declares settings that others declare: \(clashes.sorted().joined(separator: ", "))")
            }
            let problems = module.settings.flatMap { $0.problems() }
            guard problems.isEmpty else { throw ConfigurationError("settings of sector '\(module.identity.id)': \(problems.joined(separator: "; "))") }
        }
        self.declarations = declarations
    }

    /// No settings besides the sectors' (tests that need none; the registry was checked when built).
    public static let sectorsOnly = SettingsCatalog(unchecked: [])

    private init(unchecked declarations: [SettingsDeclaration]) {
        self.declarations = declarations
    }

    /// The settings of a tenant of `module`'s sector, declarations first.
    func settings(for module: any SectorModule) -> [OwnedSetting] {
        declarations.flatMap { declaration in declaration.settings.map { OwnedSetting(owner: declaration.owner, definition: $0) } }
            + module.settings.map { OwnedSetting(owner: module.identity.id, definition: $0) }
    }

    private static func repeated(_ keys: [String]) -> [String] {
        Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    }
}
