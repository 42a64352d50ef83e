import Foundation
import Kernel
import Queue
import Logging
import PostgresNIO
import Storage

/// The engines the suites run against: SQLite always, PostgreSQL when `CRM_TEST_POSTGRES_URL`
/// names a server (the test command starts a throwaway one). With `CRM_TEST_REQUIRE_POSTGRES=1`
/// a missing server fails the PostgreSQL cases instead of leaving them out.
public enum TestDatabases {
    public static let engines: [Engine] = {
        let environment = ProcessInfo.processInfo.environment
        let wanted = environment["CRM_TEST_POSTGRES_URL"] != nil || environment["CRM_TEST_REQUIRE_POSTGRES"] == "1"
        return wanted ? [.sqlite, .postgres] : [.sqlite]
    }()

    static let logger: Logger = {
        var logger = Logger(label: "crm.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A migrated database of `engine`: a new SQLite file, or the run's shared PostgreSQL database
    /// (tests there stay apart by creating their own tenants).
    public static func migrated(_ engine: Engine, registry: ModuleRegistry = TestKernels.registry) async throws -> any Database {
        switch engine {
        case .sqlite:
            let database = try await freshSQLite()
            try await Migrator(database: database, logger: logger).migrate(QueueMigrations.all + registry.migrations + TestKernels.featureMigrations)
            return database
        case .postgres:
            return try await PostgresDatabases.shared.sharedMigrated(registry: registry)
        }
    }

    /// An empty database of `engine`, not migrated, used by no other test.
    public static func empty(_ engine: Engine) async throws -> any Database {
        switch engine {
        case .sqlite: try await freshSQLite()
        case .postgres: try await PostgresDatabases.shared.fresh()
        }
    }

    static func freshSQLite() async throws -> SQLiteStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-tests-\(UUID().uuidString)")
        let store = try await SQLiteStore.open(path: folder.appendingPathComponent("crm.sqlite").path, readers: 2, logger: logger)
        await OpenStores.shared.keep(store)
        return store
    }

    /// The PostgreSQL server of this run.
    public static func postgresLocation() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["CRM_TEST_POSTGRES_URL"] else {
            throw ConfigurationError("CRM_TEST_POSTGRES_URL is not set: run the tests with Deploy/test.sh, which starts a PostgreSQL")
        }
        return try PostgresLocation(url: url)
    }
}

/// Databases on the run's PostgreSQL server, each created on first use and kept for the run
/// (the server itself is thrown away afterwards).
public actor PostgresDatabases {
    public static let shared = PostgresDatabases()

    private var admin: PostgresStore?
    private var migrated: PostgresStore?

    /// A new, empty database with its own pool.
    public func fresh() async throws -> PostgresStore {
        let location = try TestDatabases.postgresLocation()
        let name = "crm_t_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = try adminStore(location)
        try await admin.withConnection { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: TestDatabases.logger)
        }
        return Self.start(location.with(database: name))
    }

    /// The run's shared database, brought up to date with `registry`'s migrations (modules that
    /// only some tests register add their tables when those tests first ask).
    func sharedMigrated(registry: ModuleRegistry) async throws -> PostgresStore {
        let store: PostgresStore
        if let migrated {
            store = migrated
        } else {
            store = try await fresh()
            migrated = store
        }
        try await Migrator(database: store, logger: TestDatabases.logger).migrate(QueueMigrations.all + registry.migrations + TestKernels.featureMigrations)
        return store
    }

    private func adminStore(_ location: PostgresLocation) throws -> PostgresStore {
        if let admin { return admin }
        let store = Self.start(location)
        admin = store
        return store
    }

    /// A pool used as soon as it is made: its first lease may come before `run()` is under way,
    /// which the pool answers once it runs, with a warning that here would only be noise.
    ///
    /// The run keeps every store to its end, so a store's idle connections close after two seconds
    /// (the pool's default is a minute), and its read pool has four: dozens of tests' stores each
    /// holding up to 16 connections took all 300 of the server's, and the tests running then waited for connections until
    /// their jobs timed out (`pg_stat_activity` sampled during a full run stood at 304).
    private static func start(_ location: PostgresLocation) -> PostgresStore {
        var logger = TestDatabases.logger
        logger.logLevel = .error
        var configuration = location.clientConfiguration(maximumConnections: 8)
        configuration.options.connectionIdleTimeout = .seconds(2)
        let store = PostgresStore(configuration: configuration, readConnections: 4, logger: logger)
        Task.detached { try? await store.service.run() }
        return store
    }
}

/// Keeps the run's SQLite stores open until the process ends: SQLite connections must be closed
/// before they are released, and tests end with their kernel still in hand.
actor OpenStores {
    static let shared = OpenStores()
    private var stores: [SQLiteStore] = []

    func keep(_ store: SQLiteStore) {
        stores.append(store)
    }
}
