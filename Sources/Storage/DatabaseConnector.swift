import Logging
import ServiceLifecycle

/// Opens the database a location names, and tells the process what must run for it.
public enum DatabaseConnector {
    /// An open database and, for PostgreSQL, the pool that must run as a service of the process.
    public struct Opened: Sendable {
        public let database: any Database
        public let service: (any Service)?
    }

    public static func open(_ location: DatabaseLocation, poolSize: Int = 20, logger: Logger) async throws -> Opened {
        switch location {
        case .sqlite(let path):
            return Opened(database: try await SQLiteStore.open(path: path, logger: logger), service: nil)
        case .postgres(let postgres):
            let store = PostgresStore(configuration: postgres.clientConfiguration(maximumConnections: poolSize), logger: logger)
            return Opened(database: store, service: store.service)
        }
    }

    /// Opens the database, runs `body` with it, then closes it: for short commands such as `crm migrate`.
    public static func with<T: Sendable>(
        _ location: DatabaseLocation,
        poolSize: Int = 4,
        logger: Logger,
        _ body: @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let opened = try await open(location, poolSize: poolSize, logger: logger)
        guard let service = opened.service else {
            do {
                let result = try await body(opened.database)
                await opened.database.close()
                return result
            } catch {
                await opened.database.close()
                throw error
            }
        }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await service.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(opened.database)
        }
    }
}
