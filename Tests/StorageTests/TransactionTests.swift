import Foundation
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Transactions")
struct TransactionTests {
    static func table(_ database: any Database) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("CREATE TABLE tally (name TEXT PRIMARY KEY, value BIGINT NOT NULL)").run()
            try await sql.raw("INSERT INTO tally (name, value) VALUES ('n', 0)").run()
        }
    }

    static func value(_ database: any Database) async throws -> Int {
        try await database.read(.system) { sql in
            try await sql.raw("SELECT value FROM tally WHERE name = 'n'").first(decodingColumn: "value", as: Int.self) ?? -1
        }
    }

    struct Boom: Error {}

    @Test("a throwing transaction writes nothing", arguments: TestDatabases.engines)
    func rollsBack(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        try await Self.table(database)
        await #expect(throws: Boom.self) {
            try await database.transaction(.system) { sql in
                try await sql.raw("UPDATE tally SET value = 42").run()
                throw Boom()
            }
        }
        #expect(try await Self.value(database) == 0)
    }

    @Test("concurrent read-modify-write transactions lose no update", arguments: TestDatabases.engines)
    func concurrentIncrements(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        try await Self.table(database)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await database.transaction(.system) { sql in
                        try await sql.raw("UPDATE tally SET value = value + 1 WHERE name = 'n'").run()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await Self.value(database) == 40)
    }

    @Test("SQLite runs in WAL mode with foreign keys enforced")
    func sqlitePragmas() async throws {
        let database = try await TestDatabases.empty(.sqlite)
        let (mode, foreignKeys) = try await database.read(.system) { sql in
            (try await sql.raw("PRAGMA journal_mode").first(decodingColumn: "journal_mode", as: String.self),
             try await sql.raw("PRAGMA foreign_keys").first(decodingColumn: "foreign_keys", as: Int.self))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
    }

    @Test("database URLs parse; bad ones are refused with the variable named")
    func locations() throws {
        #expect(try DatabaseLocation.parse(nil) == .sqlite(path: "crm-data/crm.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:/var/lib/crm/crm.sqlite") == .sqlite(path: "/var/lib/crm/crm.sqlite"))
        guard case .postgres(let location) = try DatabaseLocation.parse("postgres://app:s%40cret@db.internal:6543/crm?sslmode=require") else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.password == "s@cret")
        #expect(location.tls == .require)
        #expect(!location.description.contains("s@cret"))
        #expect(throws: ConfigurationError.self) { try DatabaseLocation.parse("mysql://x@y/z") }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation.parse("postgres://db.internal/crm") }
    }
}
