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
            byID[id] = module
        }
        self.modules = modules
        self.byID = byID
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
