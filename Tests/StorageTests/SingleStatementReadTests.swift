import Foundation
import SQLKit
import Storage
import Testing
import TestSupport

/// `Database.rows`: one statement, no transaction of its own, the scope applied as in `read`.
@Suite("Single-statement reads")
struct SingleStatementReadTests {
    @Test("on PostgreSQL, a read connection reused across tenants shows each read its own scope's rows only",
          .enabled(if: TestDatabases.engines.contains(.postgres)))
    func scopesDoNotLeak() async throws {
        let database = try await TestDatabases.empty(.postgres)
        let (a, b) = (UUID(), UUID())
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION crm_current_tenant() RETURNS uuid LANGUAGE sql STABLE
                AS $$ SELECT NULLIF(current_setting('crm.tenant_id', true), '')::uuid $$
                """).run()
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION crm_system_scope() RETURNS boolean LANGUAGE sql STABLE
                AS $$ SELECT coalesce(current_setting('crm.system', true), '') = 'on' $$
                """).run()
            try await sql.raw("CREATE TABLE notes (tenant_id uuid NOT NULL, body TEXT NOT NULL)").run()
            try await sql.raw("ALTER TABLE notes ENABLE ROW LEVEL SECURITY").run()
            try await sql.raw("ALTER TABLE notes FORCE ROW LEVEL SECURITY").run()
            try await sql.raw("""
                CREATE POLICY notes_isolation ON notes USING (crm_system_scope() OR tenant_id = crm_current_tenant())
                """).run()
            try await sql.raw("INSERT INTO notes VALUES (\(bind: a), 'a1'), (\(bind: a), 'a2'), (\(bind: b), 'b1')").run()
        }
        let scopes: [AccessScope] = [.tenant(a), .tenant(b), .system, .tenant(UUID())]
        let expected: [[String]] = [["a1", "a2"], ["b1"], ["a1", "a2", "b1"], []]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<400 {
                group.addTask {
                    let rows = try await database.rows(scopes[n % 4], "SELECT body FROM notes ORDER BY body")
                    let bodies = try rows.map { try $0.decode(column: "body", as: String.self) }
                    #expect(bodies == expected[n % 4], "read \(n) in \(scopes[n % 4])")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("a single-statement read cannot write", arguments: TestDatabases.engines)
    func readOnly(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        try await database.transaction(.system) { sql in
            try await sql.raw("CREATE TABLE tally (name TEXT PRIMARY KEY, value BIGINT NOT NULL)").run()
        }
        await #expect(throws: (any Error).self) {
            _ = try await database.rows(.system, "INSERT INTO tally (name, value) VALUES ('n', 1) RETURNING value")
        }
        let count = try await database.rows(.system, "SELECT count(*) AS n FROM tally").first?.decode(column: "n", as: Int.self)
        #expect(count == 0)
    }

    @Test("SQLite counts committed changes per table, those of triggers included, and none of a rolled-back transaction")
    func localChanges() async throws {
        let database = try await TestDatabases.empty(.sqlite)
        try await database.transaction(.system) { sql in
            try await sql.raw("CREATE TABLE watched (n INTEGER NOT NULL)").run()
            try await sql.raw("CREATE TABLE source (n INTEGER NOT NULL)").run()
            try await sql.raw("CREATE TRIGGER source_moves AFTER UPDATE ON source BEGIN INSERT INTO watched (n) VALUES (NEW.n); END").run()
            try await sql.raw("INSERT INTO source (n) VALUES (1)").run()
        }
        let before = try #require(database.localChanges(of: "watched"))
        try await database.transaction(.system) { sql in try await sql.raw("UPDATE source SET n = 2").run() }
        #expect(database.localChanges(of: "watched") == before + 1)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await database.transaction(.system) { sql in
                try await sql.raw("UPDATE source SET n = 3").run()
                throw Boom()
            }
        }
        #expect(database.localChanges(of: "watched") == before + 1)
        try await database.transaction(.system) { sql in try await sql.raw("UPDATE source SET n = 4").run() }
        #expect(database.localChanges(of: "watched") == before + 2)
        let postgres = TestDatabases.engines.contains(.postgres) ? try await TestDatabases.empty(.postgres) : nil
        #expect(postgres?.localChanges(of: "watched") == nil, "PostgreSQL is written by other processes too")
    }
}
