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

    @Test("a single-statement read gives the values sql-kit's rows give: text, integers, UUIDs, dates, booleans, nulls, JSON",
          arguments: TestDatabases.engines)
    func sameValuesAsSQLKit(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        let (id, other, at) = (UUID(), UUID(), Date(timeIntervalSince1970: 1_796_155_504.25))
        let json = engine == .postgres ? "jsonb" : "TEXT"
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                CREATE TABLE sample (id \(unsafeRaw: engine == .postgres ? "uuid" : "TEXT") PRIMARY KEY, name TEXT NOT NULL, note TEXT,
                    amount BIGINT NOT NULL, at \(unsafeRaw: engine == .postgres ? "timestamptz" : "REAL") NOT NULL, done BOOLEAN NOT NULL,
                    facts \(unsafeRaw: json) NOT NULL)
                """).run()
            try await sql.raw("""
                INSERT INTO sample VALUES (\(bind: id), 'Işıl Çağ', NULL, -125000, \(bind: at), true, '{"pairs":2,"colour":"kahverengi"}'),
                                          (\(bind: other), 'Ömer', 'kapıda', 42, \(bind: at), false, '{"pairs":1,"colour":"siyah"}')
                """).run()
        }
        struct Facts: Codable, Equatable, Sendable { let pairs: Int; let colour: String }
        struct Sample: Equatable, Sendable { let id: UUID; let name: String; let note: String?; let amount: Int; let at: Date; let done: Bool; let facts: Facts? }
        @Sendable func read(_ row: any SQLRow) throws -> Sample {
            Sample(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                   note: try row.decode(column: "note", as: String?.self), amount: try row.decode(column: "amount", as: Int.self),
                   at: try row.decode(column: "at", as: Date.self), done: try row.decode(column: "done", as: Bool.self),
                   facts: engine == .postgres ? try row.decode(column: "facts", as: Facts.self) : nil)
        }
        // Binds of the kinds the fast path encodes itself: text, an optional, an integer, a list.
        let note: String? = "kapıda"
        let statement: SQLQueryString = """
            SELECT * FROM sample WHERE (note = \(bind: note) OR name <> \(bind: "") OR amount > \(bind: -1_000_000))
              AND id \(SQLOneOf([id, other])) ORDER BY amount
            """
        let fast = try await database.rows(.system, statement).map(read)
        let slow = try await database.read(.system) { sql in try await sql.raw(statement).all().map(read) }
        #expect(fast == slow)
        #expect(fast.map(\.name) == ["Işıl Çağ", "Ömer"] && fast.map(\.note) == [nil, "kapıda"] && fast.map(\.amount) == [-125000, 42])
        #expect(fast.first?.id == id && fast.first?.at == at && fast.map(\.done) == [true, false])
        if engine == .postgres { #expect(fast.first?.facts == Facts(pairs: 2, colour: "kahverengi")) }
        // A nil bound where nothing around it says its type.
        let none: String? = nil
        let untyped = try await database.rows(.system, "SELECT count(*) AS n FROM sample WHERE \(bind: none) IS NULL").first
        #expect(try untyped?.decode(column: "n", as: Int.self) == 2)
        let missing = try await database.rows(.system, "SELECT name FROM sample LIMIT 1").first
        #expect(throws: (any Error).self) { try missing?.decode(column: "amount", as: Int.self) }
        #expect(try missing?.decodeNil(column: "amount") == true)
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
