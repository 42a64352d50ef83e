import Contracts
import Foundation
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Migrations")
struct MigratorTests {
    static let owner = "sample"

    static func migrations(_ extra: [MigrationStatement] = []) -> [Migration] {
        [
            Migration(owner: owner, version: 1, name: "things", statements: [
                .portable("CREATE TABLE things (tenant_id {uuid} NOT NULL, id {uuid} NOT NULL, made_at {timestamp} NOT NULL, PRIMARY KEY (tenant_id, id))"),
            ]),
            Migration(owner: owner, version: 2, name: "thing names", statements: [
                .both("ALTER TABLE things ADD COLUMN name TEXT"),
            ] + extra),
        ]
    }

    @Test("applies each migration once, in order, and records it", arguments: TestDatabases.engines)
    func appliesOnce(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        let migrator = Migrator(database: database, logger: .init(label: "test"))
        let first = try await migrator.migrate(Self.migrations())
        #expect(first == ["sample/1 things", "sample/2 thing names"])
        let second = try await migrator.migrate(Self.migrations())
        #expect(second.isEmpty)
        #expect(try await migrator.appliedVersions()[Self.owner] == 2)
        // The migrated table takes the portable types on both engines.
        let id = UUID()
        let made = Date(timeIntervalSince1970: 1_790_000_000.25)
        let read = try await database.transaction(.system) { sql in
            try await sql.raw("INSERT INTO things (tenant_id, id, made_at, name) VALUES (\(bind: id), \(bind: id), \(bind: made), 'x')").run()
            return try await sql.raw("SELECT made_at FROM things WHERE id = \(bind: id)").first(decodingColumn: "made_at", as: Date.self)
        }
        #expect(read == made)
    }

    @Test("refuses to run when an applied migration has changed", arguments: TestDatabases.engines)
    func detectsEditedMigration(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        let migrator = Migrator(database: database, logger: .init(label: "test"))
        try await migrator.migrate(Self.migrations())
        let edited = Self.migrations([.both("CREATE INDEX things_name_idx ON things (name)")])
        await #expect(throws: ConfigurationError.self) { try await migrator.migrate(edited) }
    }

    @Test("rejects versions out of order or with gaps")
    func rejectsGaps() async throws {
        let database = try await TestDatabases.empty(.sqlite)
        let migrator = Migrator(database: database, logger: .init(label: "test"))
        let gap = [Self.migrations()[1]]
        await #expect(throws: ConfigurationError.self) { try await migrator.migrate(gap) }
    }

    @Test("a failing migration leaves nothing behind and can be retried", arguments: TestDatabases.engines)
    func failedMigrationRollsBack(engine: Engine) async throws {
        let database = try await TestDatabases.empty(engine)
        let migrator = Migrator(database: database, logger: .init(label: "test"))
        let broken = [Migration(owner: Self.owner, version: 1, name: "broken", statements: [
            .both("CREATE TABLE half_done (id TEXT)"),
            .both("THIS IS NOT SQL"),
        ])]
        await #expect(throws: (any Error).self) { try await migrator.migrate(broken) }
        #expect(try await migrator.appliedVersions()[Self.owner] == nil)
        // The first statement was rolled back with the second: the good version applies cleanly.
        try await migrator.migrate([Migration(owner: Self.owner, version: 1, name: "fixed", statements: [.both("CREATE TABLE half_done (id TEXT)")])])
    }
}
