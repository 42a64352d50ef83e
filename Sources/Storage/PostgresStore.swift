import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// The production engine: a pooled `PostgresClient`. Every transaction first sets its access scope,
/// which the row-level-security policies of tenant-owned tables read.
///
/// The client must be running (`run()`, or as a service of the process's `ServiceGroup`) while the
/// store is used.
public final class PostgresStore: Database {
    public let engine = Engine.postgres
    public let client: PostgresClient
    private let logger: Logger

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

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
            let result = try await work(connection.sql(queryLogLevel: nil))
            try await connection.query("COMMIT", logger: logger)
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
        // The client stops when the task running it is cancelled (its ServiceGroup shuts down).
    }
}
