import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded engine: one SQLite file in WAL mode, one writer connection (write transactions are
/// serialised, as SQLite requires) and a few reader connections that read concurrently.
///
/// One process serves from a file (`claimServing`), so this process sees every change its file
/// gets: the writer's update hook records the tables each transaction changes, and `localChanges`
/// counts the committed ones.
public final class SQLiteStore: Database {
    public let engine = Engine.sqlite
    public let path: String
    private let writer: ConnectionPool<SQLiteConnection>
    private let readers: ConnectionPool<SQLiteConnection>
    private let readerCount: Int
    /// Tables the writer's open transaction has changed so far.
    private let touched: TouchedTables
    /// Committed transactions per table they changed.
    private let committed = Mutex<[String: UInt64]>([:])
    private let updateHook: SQLiteHookToken
    /// The threads this store's connections run SQLite on, one per connection: a statement that
    /// waits on the file's lock (another process writing) holds only its own, never those of the
    /// rest of the process (NIO's shared pool has one thread per core).
    private let threadPool: NIOThreadPool

    /// Opens (creating when missing) the database file at `path`, and its folder.
    public static func open(path: String, readers: Int = 4, logger: Logger) async throws -> SQLiteStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let threadPool = NIOThreadPool(numberOfThreads: max(1, readers) + 1)
        threadPool.start()
        do {
            return try await open(path: path, readers: readers, threadPool: threadPool, logger: logger)
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    private static func open(path: String, readers: Int, threadPool: NIOThreadPool, logger: Logger) async throws -> SQLiteStore {
        let writer = try await openConnection(path: path, threadPool: threadPool, logger: logger)
        // WAL lets readers proceed while the writer writes; it is a property of the file.
        _ = try await writer.query("PRAGMA journal_mode = WAL")
        var readerConnections: [SQLiteConnection] = []
        for _ in 0..<max(1, readers) {
            let reader = try await openConnection(path: path, threadPool: threadPool, logger: logger)
            // A read that tries to write fails, as it does in PostgreSQL's READ ONLY transactions.
            _ = try await reader.query("PRAGMA query_only = ON")
            readerConnections.append(reader)
        }
        let touched = TouchedTables()
        let hook = try await writer.addUpdateObserver(lifetime: .pinned) { event in
            // Rows changed by triggers are reported too.
            _ = touched.tables.withLock { $0.insert(event.table) }
        }
        return SQLiteStore(path: path, writer: writer, readers: readerConnections, touched: touched, updateHook: hook, threadPool: threadPool)
    }

    private static func openConnection(path: String, threadPool: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: threadPool,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 10000"] {
            _ = try await connection.query(pragma)
        }
        return connection
    }

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection], touched: TouchedTables, updateHook: SQLiteHookToken,
                 threadPool: NIOThreadPool) {
        self.path = path
        self.threadPool = threadPool
        self.writer = ConnectionPool([writer])
        self.readers = ConnectionPool(readers)
        self.readerCount = readers.count
        self.touched = touched
        self.updateHook = updateHook
    }

    public func transaction<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
        try await writer.with { connection in
            touched.tables.withLock { $0.removeAll() }
            do {
                let result = try await Self.run(on: connection, begin: "BEGIN IMMEDIATE", work)
                // Counted once the commit is done, so that a reader told of a change finds it.
                let tables = touched.tables.withLock { $0 }
                if !tables.isEmpty {
                    committed.withLock { counts in
                        for table in tables { counts[table, default: 0] &+= 1 }
                    }
                }
                return result
            } catch {
                touched.tables.withLock { $0.removeAll() }
                throw error
            }
        }
    }

    public func read<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await readers.with { try await Self.run(on: $0, begin: "BEGIN", work) }
    }

    public func rows(_ scope: AccessScope, _ statement: SQLQueryString) async throws -> [any SQLRow] {
        // One hop to the thread pool: no BEGIN and COMMIT of their own around it; binds encoded and
        // rows read here rather than through sql-kit's Codable paths.
        try await readers.with { connection in
            var serializer = SQLSerializer(database: Self.sql(connection))
            statement.serialize(to: &serializer)
            let binds = try serializer.binds.map(Self.data)
            return try await connection.query(serializer.sql, binds).map { SQLiteRowReader(row: $0) }
        }
    }

    public func localChanges(of table: String) -> UInt64? {
        committed.withLock { $0[table, default: 0] }
    }

    /// Makes this process the one that serves from the file at `path`, until it exits: a second
    /// `crm serve` on the same file would change it behind this one's back (its cached sessions
    /// among others). Call it before opening the file.
    public static func claimServing(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lockPath = path + ".serving"
        let descriptor = Foundation.open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Foundation.close(descriptor)
            throw ConfigurationError("another process is serving from \(path); one process at a time serves from an SQLite file (use PostgreSQL to run several)")
        }
        // Held open (and locked) until the process ends.
    }

    final class TouchedTables: Sendable {
        let tables = Mutex<Set<String>>([])
    }

    /// A bind as SQLite data: the common types directly (as sqlite-kit's encoder would have them),
    /// any other through that encoder.
    private static func data(_ bind: any Encodable & Sendable) throws -> SQLiteData {
        switch bind {
        case let text as String: .text(text)
        case let uuid as UUID: .text(UUIDText.string(uuid))
        case let number as Int: .integer(number)
        case let date as Date: try date.sqliteData ?? encoder.encode(date)
        default: try encoder.encode(bind)
        }
    }

    /// One encoder and decoder for every statement (each makes a JSON coder when created).
    private static let encoder = SQLiteDataEncoder()

    private static func sql(_ connection: SQLiteConnection) -> any SQLDatabase {
        connection.sql(encoder: encoder, decoder: SQLiteRowReader.decoder, queryLogLevel: nil)
    }

    private static func run<T: Sendable>(
        on connection: SQLiteConnection,
        begin: String,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        _ = try await connection.query(begin)
        do {
            let hooks = CommitHooks()
            let result = try await work(TransactionSQL(base: sql(connection), hooks: hooks))
            _ = try await connection.query("COMMIT")
            hooks.run()
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
        updateHook.cancel()
        for connection in await readers.drain(count: readerCount) + (await writer.drain(count: 1)) {
            try? await connection.close()
        }
        try? await threadPool.shutdownGracefully()
    }
}
