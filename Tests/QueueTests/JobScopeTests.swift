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
