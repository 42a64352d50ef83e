import Contracts
import Storage

/// The sector modules this process runs with, as the executable lists them. The kernel only ever
/// reaches a sector through here, by the id a tenant was created with.
public struct ModuleRegistry: Sendable {
    public let modules: [any SectorModule]
    private let byID: [String: any SectorModule]

    public init(_ modules: [any SectorModule]) throws {
        var byID: [String: any SectorModule] = [:]
        for module in modules {
            let id = module.identity.id
            guard SectorIdentity.isValidID(id) else {
                throw ConfigurationError("sector module id '\(id)' must be 2–32 lowercase letters or digits")
            }
            guard id != KernelMigrations.owner else {
                throw ConfigurationError("sector module id '\(id)' is reserved")
            }
            guard byID[id] == nil else {
                throw ConfigurationError("two sector modules share the id '\(id)'")
            }
            for migration in module.migrations where migration.owner != id {
                throw ConfigurationError("module '\(id)' contributes a migration owned by '\(migration.owner)'")
            }
            let problems = Self.problems(of: module)
            guard problems.isEmpty else {
                throw ConfigurationError("sector module '\(id)' is not usable: \(problems.joined(separator: "; "))")
            }
            byID[id] = module
        }
        self.modules = modules
        self.byID = byID
    }

    /// What makes a module unusable: a broken workflow, a bad tag prefix, repeated codes.
    static func problems(of module: any SectorModule) -> [String] {
        var problems = module.workflow.problems()
        let prefix = module.tagFormat.prefix
        if !(1...3).contains(prefix.count) || !prefix.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            problems.append("tag prefix '\(prefix)' must be 1–3 uppercase ASCII letters")
        }
        let codes = module.catalog.map(\.code)
        if Set(codes).count != codes.count { problems.append("catalog codes repeat") }
        let keys = module.lineAttributes.map(\.key)
        if Set(keys).count != keys.count { problems.append("line attribute keys repeat") }
        for key in module.tagFormat.printedAttributes where !keys.contains(key) {
            problems.append("label prints '\(key)', which is not a line attribute")
        }
        for template in module.templates {
            guard let stage = template.stage, !module.workflow.notifyingStages.contains(stage) else { continue }
            problems.append("template for '\(stage)', which does not notify")
        }
        let settingKeys = module.settings.map(\.key)
        if Set(settingKeys).count != settingKeys.count { problems.append("setting keys repeat") }
        return problems
    }

    public func module(id: String) -> (any SectorModule)? {
        byID[id]
    }

    /// The module of a sector id, or an `unknown_sector` error naming the sectors there are.
    public func require(_ id: String) throws -> any SectorModule {
        guard let module = byID[id] else {
            throw DomainError(.unknownSector, "Unknown sector '\(id.prefix(40))'; known sectors: \(ids.joined(separator: ", ")).")
        }
        return module
    }

    public var ids: [String] { modules.map(\.identity.id) }

    /// The kernel's migrations followed by every module's, in module order.
    public var migrations: [Migration] {
        KernelMigrations.all + modules.flatMap(\.migrations)
    }
}
