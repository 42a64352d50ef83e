import Foundation
import Kernel
import Logging
import Notify
import Storage

/// The one place a process turns its configuration into a kernel: the module list, the settings
/// other modules declare, the database. `serve`, `worker` and the short commands all start here.
enum Composition {
    static func kernel(on database: any Database, config: AppConfig) throws -> Kernel {
        let registry = try ModuleRegistry(sectorModules)
        return Kernel(database: database, registry: registry, settings: config.kernel,
                      subscribers: featureSubscribers(config), settingsCatalog: try SettingsCatalog(settingDeclarations, registry: registry),
                      featureMigrations: featureMigrations)
    }

    /// The notification module on `kernel` (its templates checked: a bad one stops start-up).
    static func notify(_ kernel: Kernel, config: AppConfig) throws -> NotifyModule {
        try NotifyModule(kernel: kernel, configuration: config.notify)
    }

    /// Opens the configured database for a long-running process (its pool is a service to run).
    static func open(_ config: AppConfig, logger: Logger) async throws -> (kernel: Kernel, opened: DatabaseConnector.Opened) {
        let opened = try await DatabaseConnector.open(config.database, poolSize: config.databasePoolSize, logger: logger)
        return (try kernel(on: opened.database, config: config), opened)
    }
}
