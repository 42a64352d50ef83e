import Foundation
import Logging
@testable import Queue
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("A handler's completion runs in its job's tenant scope")
struct JobScopeTests {
    static func context(_ fixture: QueueFixture, _ job: ClaimedJob) -> JobContext {
        JobContext(job: job, baseLogger: Logger(label: "test"), queue: fixture.queue, worker: "w1", keepCompleted: false,
                   completedInTransaction: CompletionFlag())
    }

    @Test("a job without a tenant must ask for the system scope; it is never taken silently", arguments: TestDatabases.engines)
    func noTenant(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        try await fixture.queue.enqueue(Ping(n: 1), options: fixture.options)
        let job = try #require(try await fixture.claim(1).first)
        let context = Self.context(fixture, job)
        await #expect(throws: MissingJobScope.self) { try await context.complete { _ in } }
        #expect(try await fixture.queue.job(job.id)?.state == .running)
        try await context.complete(scope: .system) { _ in }
        #expect(try await fixture.queue.job(job.id) == nil)
    }

    @Test("jobs completed together: one transaction; only the attempts still held complete, and the work commits regardless",
          arguments: TestDatabases.engines)
    func completeTogether(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        _ = try await fixture.queue.enqueueBatch(try (1...3).map { try NewJob(Ping(n: $0), options: fixture.options) })
        let claimed = try await fixture.claim(3, lease: .seconds(30)).sorted { $0.id < $1.id }
        try #require(claimed.count == 3)
        // The third job went to another worker meanwhile (its lease lapsed and w2 took it): w1 no longer holds it.
        let lost = claimed[2]
        try await fixture.database.transaction(.system) { sql in
            try await sql.raw("UPDATE jobs SET lease_owner = 'w2', attempt = attempt + 1 WHERE id = \(bind: lost.id)").run()
        }
        let contexts = claimed.map { Self.context(fixture, $0) }
        let table = "together_" + fixture.name.replacingOccurrences(of: "-", with: "_")
        try await fixture.database.transaction(.system) { sql in try await sql.raw("CREATE TABLE \(unsafeRaw: table) (n integer)").run() }
        let completed = try await JobContext.complete(together: contexts, scope: .system) { sql in
            try await sql.raw("INSERT INTO \(unsafeRaw: table) (n) VALUES (1)").run()
        }
        #expect(completed == Set(claimed[0...1].map(\.id)))
        #expect(try await fixture.queue.job(claimed[0].id) == nil)
        #expect(try await fixture.queue.job(claimed[1].id) == nil)
        #expect(try await fixture.queue.job(lost.id)?.state == .running)
        #expect(contexts[0].completedInTransaction.isSet && !contexts[2].completedInTransaction.isSet)
        let rows = try await fixture.database.read(.system) { sql in
            try await sql.raw("SELECT count(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self)
        }
        #expect(rows == 1)
    }

    @Test("by default a tenant's job writes under row-level security: not another tenant's rows", .enabled(if: TestDatabases.engines.contains(.postgres)))
    func tenantScope() async throws {
        let fixture = try await QueueFixture.make(.postgres)
        // A tenant-owned table as the kernel's migrations make them (see MigrationStatement.tenantIsolation).
        let table = "notes_" + fixture.name.replacingOccurrences(of: "-", with: "_")
        try await fixture.database.transaction(.system) { sql in
            try await sql.raw("CREATE TABLE \(unsafeRaw: table) (tenant_id uuid NOT NULL, note text NOT NULL)").run()
            try await sql.raw("ALTER TABLE \(unsafeRaw: table) ENABLE ROW LEVEL SECURITY").run()
            try await sql.raw("ALTER TABLE \(unsafeRaw: table) FORCE ROW LEVEL SECURITY").run()
            try await sql.raw("""
                CREATE POLICY \(unsafeRaw: table)_isolation ON \(unsafeRaw: table)
                    USING (crm_system_scope() OR tenant_id = crm_current_tenant())
                    WITH CHECK (crm_system_scope() OR tenant_id = crm_current_tenant())
                """).run()
        }
        let (mine, theirs) = (UUID(), UUID())
        var options = fixture.options
        options.tenantID = mine
        try await fixture.queue.enqueue(Ping(n: 1), options: options)
        let job = try #require(try await fixture.claim(1).first)
        let context = Self.context(fixture, job)
        // Another tenant's row is refused by the policy; the transaction, completion included, rolls back.
        await #expect(throws: (any Error).self) {
            try await context.complete { sql in
                try await sql.raw("INSERT INTO \(unsafeRaw: table) (tenant_id, note) VALUES (\(bind: theirs), 'not mine')").run()
            }
        }
        #expect(try await fixture.queue.job(job.id)?.state == .running)
        // Its own tenant's row goes in, with the completion.
        try await context.complete { sql in
            try await sql.raw("INSERT INTO \(unsafeRaw: table) (tenant_id, note) VALUES (\(bind: mine), 'mine')").run()
        }
        #expect(try await fixture.queue.job(job.id) == nil)
        let notes = try await fixture.database.read(.system) { sql in
            try await sql.raw("SELECT tenant_id FROM \(unsafeRaw: table)").all().map { try $0.decode(column: "tenant_id", as: UUID.self) }
        }
        #expect(notes == [mine])
    }
}
