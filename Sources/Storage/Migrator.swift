import Contracts
import Foundation
import Logging
import SQLKit

/// Applies versioned migrations, each in its own transaction, and records them in `schema_migrations`.
///
/// Owners (the kernel, then each sector module) keep their own ordered lines of versions. Concurrent
/// migrators (several servers starting at once) are safe: on PostgreSQL each migration takes an
/// advisory lock for its transaction, on SQLite write transactions are exclusive. An applied
/// migration whose SQL has since changed stops the run: fix the code, never an applied migration.
public struct Migrator: Sendable {
    public let database: any Database
    public let logger: Logger

    public init(database: any Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Applies what is missing, in the given order of owners; returns `owner/version name` of each applied one.
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [String] {
        try Self.validate(migrations)
        try await createLedger()
        var applied: [String] = []
        for migration in migrations {
            if try await apply(migration) {
                let label = "\(migration.owner)/\(migration.version) \(migration.name)"
                logger.info("applied migration", metadata: ["migration": .string(label)])
                applied.append(label)
            }
        }
        return applied
    }

    /// The recorded migrations, `owner → highest version`.
    public func appliedVersions() async throws -> [String: Int] {
        try await createLedger()
        return try await database.read(.system) { sql in
            let rows = try await sql.raw("SELECT owner, MAX(version) AS version FROM schema_migrations GROUP BY owner").all()
            var versions: [String: Int] = [:]
            for row in rows {
                versions[try row.decode(column: "owner", as: String.self)] = try row.decode(column: "version", as: Int.self)
            }
            return versions
        }
    }

    static func validate(_ migrations: [Migration]) throws {
        var last: [String: Int] = [:]
        for migration in migrations {
            let previous = last[migration.owner] ?? 0
            guard migration.version == previous + 1 else {
                throw ConfigurationError(
                    "migrations of \(migration.owner) must be numbered 1, 2, 3… in order; found \(migration.version) after \(previous)"
                )
            }
            last[migration.owner] = migration.version
        }
    }

    private func createLedger() async throws {
        let timestamp = database.engine == .postgres ? "timestamptz" : "REAL"
        if database.engine == .postgres {
            // A server connecting as the application role (no CREATE on the schema) only reads the ledger.
            let exists = try await database.read(.system) { sql in
                try await sql.raw("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").first(decodingColumn: "present", as: Bool.self)
            }
            if exists == true { return }
        }
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    owner TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at \(unsafeRaw: timestamp) NOT NULL,
                    PRIMARY KEY (owner, version)
                )
                """).run()
        }
    }

    /// Applies one migration unless it is recorded; verifies the checksum of a recorded one.
    private func apply(_ migration: Migration) async throws -> Bool {
        let engine = database.engine
        let statements = migration.statements.compactMap { engine == .postgres ? $0.postgres : $0.sqlite }
        let checksum = Self.checksum(statements)
        return try await database.transaction(.system) { sql in
            if engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey))").run()
            }
            let recorded = try await sql.raw("""
                SELECT checksum FROM schema_migrations WHERE owner = \(bind: migration.owner) AND version = \(bind: migration.version)
                """).first(decodingColumn: "checksum", as: String.self)
            if let recorded {
                guard recorded == checksum else {
                    throw ConfigurationError(
                        "migration \(migration.owner)/\(migration.version) (\(migration.name)) was changed after it was applied"
                    )
                }
                return false
            }
            for statement in statements {
                try await sql.raw("\(unsafeRaw: statement)").run()
            }
            try await sql.raw("""
                INSERT INTO schema_migrations (owner, version, name, checksum, applied_at)
                VALUES (\(bind: migration.owner), \(bind: migration.version), \(bind: migration.name), \(bind: checksum), \(bind: Date()))
                """).run()
            return true
        }
    }

    /// A fixed key for PostgreSQL's advisory lock that serialises migrators ("crm-migr").
    static let advisoryLockKey: Int64 = 0x63726D2D6D696772

    /// FNV-1a (64-bit) over the statements: stable across processes and platforms.
    static func checksum(_ statements: [String]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in statements.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }
}
