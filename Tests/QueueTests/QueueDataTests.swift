import Foundation
@testable import Queue
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Values the queue does not know fail loudly")
struct QueueDataTests {
    @Test("an unknown state is an error naming it, in listings and in stats", arguments: TestDatabases.engines)
    func unknownState(engine: Engine) async throws {
        let fixture = try await QueueFixture.isolated(engine)
        let id = try #require(try await fixture.queue.enqueue(Ping(n: 1), options: fixture.options))
        try await fixture.database.transaction(.system) { sql in
            try await sql.raw("UPDATE jobs SET state = 'zombie' WHERE id = \(bind: id)").run()
        }
        let listing = await #expect(throws: QueueDataError.self) { try await fixture.queue.job(id) }
        #expect(listing?.description.contains("zombie") == true)
        let stats = await #expect(throws: QueueDataError.self) { try await fixture.queue.stats() }
        #expect(stats?.description.contains("zombie") == true)
    }

    @Test("an errors history that does not decode is an error naming the job", arguments: TestDatabases.engines)
    func undecodableErrors(engine: Engine) async throws {
        let fixture = try await QueueFixture.isolated(engine)
        let id = try #require(try await fixture.queue.enqueue(Ping(n: 1), options: fixture.options))
        try await fixture.database.transaction(.system) { sql in
            try await sql.raw("UPDATE jobs SET errors = \(SQLJSON(#"[{"attempt": "first", "at": "yesterday"}]"#)) WHERE id = \(bind: id)").run()
        }
        let error = await #expect(throws: QueueDataError.self) { try await fixture.queue.jobs(queue: fixture.name) }
        #expect(error?.description.contains("job \(id)") == true)
    }
}
