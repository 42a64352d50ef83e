import ArgumentParser
import Foundation
import Kernel
import Logging
import Storage

/// Flags every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "Where the data lives (overrides CRM_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (overrides CRM_LOG_LEVEL).")
    var logLevel: String?

    /// The configuration from the environment and these flags, with logging set up.
    func config() throws -> AppConfig {
        var config = try AppConfig()
        try config.apply(self)
        let level = config.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return config
    }

    /// Runs `body` with a migrated kernel on the configured database, then closes it.
    func withKernel<T: Sendable>(_ body: @Sendable (Kernel, Logger) async throws -> T) async throws -> T {
        let config = try config()
        let logger = config.makeLogger("crm")
        return try await DatabaseConnector.with(config.database, logger: logger) { database in
            let kernel = try Composition.kernel(on: database, config: config)
            try await kernel.migrate(logger: logger)
            return try await body(kernel, logger)
        }
    }
}
