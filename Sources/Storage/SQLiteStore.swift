import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded engine: one SQLite file in WAL mode, one writer connection (write transactions are
/// serialised, as SQLite requires) and a few reader connections that read concurrently.
public final class SQLiteStore: Database {
    public let engine = Engine.sqlite
    public let path: String
    private let writer: ConnectionPool<SQLiteConnection>
    private let readers: ConnectionPool<SQLiteConnection>
    private let readerCount: Int

    /// Opens (creating when missing) the database file at `path`, and its folder.
    public static func open(path: String, readers: Int = 4, logger: Logger) async throws -> SQLiteStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = try await openConnection(path: path, logger: logger)
        // WAL lets readers proceed while the writer writes; it is a property of the file.
        _ = try await writer.query("PRAGMA journal_mode = WAL")
        var readerConnections: [SQLiteConnection] = []
        for _ in 0..<max(1, readers) {
            let reader = try await openConnection(path: path, logger: logger)
            // A read that tries to write fails, as it does in PostgreSQL's READ ONLY transactions.
            _ = try await reader.query("PRAGMA query_only = ON")
            readerConnections.append(reader)
        }
        return SQLiteStore(path: path, writer: writer, readers: readerConnections)
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: .singleton,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 10000"] {
            _ = try await connection.query(pragma)
        }
        return connection
    }

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = ConnectionPool([writer])
        self.readers = ConnectionPool(readers)
        self.readerCount = readers.count
    }

    public func transaction<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
        try await writer.with { try await Self.run(on: $0, begin: "BEGIN IMMEDIATE", work) }
    }

    public func read<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await readers.with { try await Self.run(on: $0, begin: "BEGIN", work) }
    }

    public func rows(_ scope: AccessScope, _ statement: SQLQueryString) async throws -> [any SQLRow] {
        // One hop to the thread pool: no BEGIN and COMMIT of their own around it.
        try await readers.with { try await $0.sql(queryLogLevel: nil).raw(statement).all() }
    }

    private static func run<T: Sendable>(
        on connection: SQLiteConnection,
        begin: String,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        _ = try await connection.query(begin)
        do {
            let result = try await work(connection.sql(queryLogLevel: nil))
            _ = try await connection.query("COMMIT")
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    public func checkReachable() async throws {
        try await readers.with { _ = try await $0.query("SELECT 1") }
    }

    public func close() async {
        for connection in await readers.drain(count: readerCount) + (await writer.drain(count: 1)) {
            try? await connection.close()
        }
    }
}
