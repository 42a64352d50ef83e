import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle
import Synchronization

/// The production engine: pooled `PostgresClient`s. Every transaction first sets its access scope,
/// which the row-level-security policies of tenant-owned tables read.
///
/// Two pools: `client` for transactions (and the queue's own connections), `readClient` for
/// single-statement reads (`rows`). A connection of the read pool keeps the scope of its last use
/// at session level, so that a read in the same scope as the one before it is one round trip; no
/// other code gets those connections. `service` must run (as a service of the process's
/// `ServiceGroup`) while the store is used.
public final class PostgresStore: Database {
    public let engine = Engine.postgres
    public let client: PostgresClient
    let readClient: PostgresClient
    private let logger: Logger
    /// The scope each read connection carries now; a connection missing here carries none known.
    private let scopes = Mutex<[PostgresConnection.ID: AccessScope]>([:])
    private let readConnections: Int

    /// `readConnections` bounds the read pool; by default four per core (each read is one short
    /// statement, so more connections would only queue inside PostgreSQL).
    public init(configuration: PostgresClient.Configuration, readConnections: Int? = nil, logger: Logger) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        var readConfiguration = configuration
        let readConnections = readConnections ?? max(4, 4 * ProcessInfo.processInfo.activeProcessorCount)
        readConfiguration.options.maximumConnections = readConnections
        readConfiguration.options.minimumConnections = 0
        self.readClient = PostgresClient(configuration: readConfiguration, backgroundLogger: logger)
        self.readConnections = readConnections
        self.logger = logger
    }

    /// Both pools, as one service.
    public var service: some Service { Pools(clients: [client, readClient]) }

    public func transaction<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await client.withConnection { try await self.run(on: $0, readOnly: false, scope: scope, work) }
    }

    public func read<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await client.withConnection { try await self.run(on: $0, readOnly: true, scope: scope, work) }
    }

    public func rows(_ scope: AccessScope, _ statement: SQLQueryString) async throws -> [any SQLRow] {
        try await readClient.withConnection { connection in
            if scopes.withLock({ $0[connection.id] }) != scope {
                try await setSessionScope(scope, on: connection)
            }
            // Binds encoded and rows read by postgres-nio itself, not through sql-kit's Codable paths.
            let sql = connection.sql(queryLogLevel: nil)
            let (text, binds) = sql.serialize(statement)
            guard let bindings = try PostgresRowReader.bindings(binds) else { return try await sql.raw(statement).all() }
            var rows: [any SQLRow] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger) {
                rows.append(PostgresRowReader(row: row))
            }
            return rows
        }
    }

    /// Other processes write the database too: only it can tell what changed.
    public func localChanges(of table: String) -> UInt64? { nil }

    /// Gives a read connection `scope` until its next change: outside a transaction, `set_config`
    /// with `is_local = false` lasts for the session. The connection is also made read-only.
    private func setSessionScope(_ scope: AccessScope, on connection: PostgresConnection) async throws {
        scopes.withLock { scopes in
            scopes[connection.id] = nil
            // Connections come and go with the pool's idle timeout; forget those long gone.
            if scopes.count > 4 * readConnections { scopes.removeAll() }
        }
        let tenant: String
        let system: String
        switch scope {
        case .tenant(let id): (tenant, system) = (id.uuidString, "")
        case .system: (tenant, system) = ("", "on")
        }
        try await connection.query("""
            SELECT set_config('crm.tenant_id', \(tenant), false), set_config('crm.system', \(system), false),
                   set_config('default_transaction_read_only', 'on', false)
            """, logger: logger)
        scopes.withLock { $0[connection.id] = scope }
    }

    /// Runs `work` on one connection outside any transaction (LISTEN, advisory locks held across
    /// transactions, maintenance). The connection carries no access scope: tenant tables show no rows.
    public func withConnection<T: Sendable>(_ work: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { try await work($0) }
    }

    private func run<T: Sendable>(
        on connection: PostgresConnection,
        readOnly: Bool,
        scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        // `set_config(…, true)` lasts until the transaction ends, so a pooled connection never
        // carries a scope into its next use.
        try await connection.query(readOnly ? "BEGIN READ ONLY" : "BEGIN", logger: logger)
        do {
            switch scope {
            case .tenant(let id):
                try await connection.query("SELECT set_config('crm.tenant_id', \(id.uuidString), true)", logger: logger)
            case .system:
                try await connection.query("SELECT set_config('crm.system', 'on', true)", logger: logger)
            }
            let hooks = CommitHooks()
            let result = try await work(TransactionSQL(base: connection.sql(queryLogLevel: nil), hooks: hooks))
            try await connection.query("COMMIT", logger: logger)
            hooks.run()
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    public func checkReachable() async throws {
        try await client.withConnection { _ = try await $0.query("SELECT 1", logger: self.logger) }
    }

    public func close() async {
        // The clients stop when the task running them is cancelled (their ServiceGroup shuts down).
    }

    /// Runs every pool until cancelled.
    private struct Pools: Service {
        let clients: [PostgresClient]

        func run() async throws {
            await withDiscardingTaskGroup { group in
                for client in clients {
                    group.addTask { await client.run() }
                }
            }
        }
    }
}
