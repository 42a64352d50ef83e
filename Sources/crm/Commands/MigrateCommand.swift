import ArgumentParser
import Contracts
import Kernel
import Storage

/// `crm migrate`: brings the schema up to date and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the kernel's and every sector module's missing migrations.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await options.withKernel { kernel, _ in
            print("Schema is up to date on \(kernel.database.engine.rawValue).")
        }
    }
}

/// `crm sectors`: the sector modules this build ships.
struct SectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sectors", abstract: "List the sector modules tenants can be created with.")

    func run() async throws {
        for module in sectorModules {
            let identity = module.identity
            print("\(identity.id)\t\(identity.version)\t\(identity.name.en) / \(identity.name.tr)")
        }
    }
}
