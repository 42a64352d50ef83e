import Contracts
import Foundation
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

/// A plugin that forgot `MigrationStatement.tenantIsolation` for its table.
struct LeakyModule: SectorModule {
    let base = TestKernels.modules[0]
    let identity = SectorIdentity(id: "leaky", version: "0.1.0", name: LocalizedText(tr: "Sızıntı", en: "Leaky"),
                                  summary: LocalizedText(tr: "Test", en: "Test"))
    let migrations = [
        Migration(owner: "leaky", version: 1, name: "notes without row-level security", statements: [
            .portable("CREATE TABLE leaky_notes (tenant_id {uuid} NOT NULL, note TEXT NOT NULL)"),
        ]),
    ]
    var catalog: [CatalogItem] { base.catalog }
    var workflow: Workflow { base.workflow }
    var tagFormat: TagFormat { TagFormat(prefix: "LK", labelTitle: LocalizedText(tr: "Sızıntı", en: "Leaky")) }
    var templates: [MessageTemplate] { base.templates }
}

@Suite("The schema guards itself")
struct SchemaGuardTests {
    @Test("on PostgreSQL the server refuses to start on a tenant table without forced row-level security",
          .enabled(if: TestDatabases.engines.contains(.postgres)))
    func rowSecurityRequired() async throws {
        let registry = try ModuleRegistry([TestKernels.modules[0], LeakyModule()])
        let kernel = Kernel(database: try await TestDatabases.empty(.postgres), registry: registry, settings: TestKernels.settings())
        do {
            try await kernel.migrate(logger: .init(label: "test"))
            Issue.record("a tenant table without row-level security was accepted")
        } catch let error as ConfigurationError {
            #expect(String(describing: error).contains("leaky_notes"))
        }
        // The shipped modules pass.
        let sound = Kernel(database: try await TestDatabases.empty(.postgres), registry: TestKernels.registry, settings: TestKernels.settings())
        try await sound.migrate(logger: .init(label: "test"))
    }

    @Test("SQLite's read connections cannot write")
    func readersAreQueryOnly() async throws {
        let database = try await TestDatabases.migrated(.sqlite)
        await #expect(throws: (any Error).self) {
            try await database.read(.system) { sql in
                try await sql.raw("INSERT INTO login_throttle (key, failures, window_started_at) VALUES ('x', 1, 0)").run()
            }
        }
        let rows = try await database.read(.system) { sql in
            try await sql.raw("SELECT count(*) AS n FROM login_throttle WHERE key = 'x'").first(decodingColumn: "n", as: Int.self)
        }
        #expect(rows == 0)
    }

    @Test("expired and revoked tokens and finished throttle windows are pruned; live ones stay", arguments: TestDatabases.engines)
    func pruning(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await AuthServiceTests.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        func login(_ password: String = TenantFixture.ownerPassword, from address: String = "192.0.2.7") async throws -> String? {
            try? await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: password, origin: .init(address: address)).token
        }
        let old = try #require(try await login())
        _ = try await login("Wrong-Password-2026", from: "192.0.2.8")
        time.advance(40 * 86_400)
        let fresh = try #require(try await login())
        let pruned = try await kernel.sessionPruning.prune()
        #expect(pruned.tokens >= 1)
        #expect(pruned.throttles >= 1)
        await #expect(throws: DomainError.self) { try await kernel.auth.authenticate(token: old, origin: .init()) }
        #expect(try await kernel.auth.authenticate(token: fresh, origin: .init()).userID == fixture.owner.id)
        let left = try await kernel.database.read(.system) { sql in
            try await sql.raw("SELECT count(*) AS n FROM auth_tokens WHERE tenant_id = \(bind: fixture.tenant.id)").first(decodingColumn: "n", as: Int.self)
        }
        #expect(left == 1)
    }
}
