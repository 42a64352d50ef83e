import Foundation
import Queue
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

/// Listening workers are woken by the process's waker after the enqueue commits (not by a NOTIFY
/// inside the enqueuing transaction), and never for an enqueue that rolled back.
@Suite("Waking workers on PostgreSQL", .enabled(if: TestDatabases.engines.contains(.postgres)))
struct WakeTests {
    final class Heard: Sendable {
        let queues = Mutex<[String]>([])
        func contains(_ queue: String) -> Bool { queues.withLock { $0.contains(queue) } }
    }

    struct RolledBack: Error {}

    @Test("an enqueue wakes listeners once its transaction commits; one that rolled back never does")
    func wakesAfterCommit() async throws {
        let fixture = try await QueueFixture.make(.postgres)
        let heard = Heard()
        let listener = Task { try await fixture.queue.driver.listen { queue in heard.queues.withLock { $0.append(queue) } } }
        defer { listener.cancel() }
        // Listening has begun once a probe's wake arrives.
        let probe = fixture.name + "-probe"
        #expect(try await eventually {
            _ = try await fixture.queue.enqueue(Ping(n: 0), options: JobOptions(queue: probe))
            return heard.contains(probe)
        })

        let inside = fixture.name + "-inside"
        let beside = fixture.name + "-beside"
        try await fixture.database.transaction(.system) { sql in
            _ = try await fixture.queue.enqueue(Ping(n: 1), options: JobOptions(queue: inside), on: sql)
            // A job enqueued and committed meanwhile is announced; the open transaction's is not (yet).
            _ = try await fixture.queue.enqueue(Ping(n: 2), options: JobOptions(queue: beside))
            #expect(try await eventually { heard.contains(beside) })
            #expect(!heard.contains(inside), "woken before the job was committed")
        }
        #expect(try await eventually { heard.contains(inside) })

        let rolledBack = fixture.name + "-rolled-back"
        let after = fixture.name + "-after"
        await #expect(throws: RolledBack.self) {
            try await fixture.database.transaction(.system) { sql in
                _ = try await fixture.queue.enqueue(Ping(n: 3), options: JobOptions(queue: rolledBack), on: sql)
                throw RolledBack()
            }
        }
        // Wakes go out in order from one sender: once the next one is heard, the rolled-back one never will be.
        _ = try await fixture.queue.enqueue(Ping(n: 4), options: JobOptions(queue: after))
        #expect(try await eventually { heard.contains(after) })
        #expect(!heard.contains(rolledBack))
    }
}

extension WakeTests {
    @Test("single enqueues made at once are gathered into shared inserts, and each caller learns its own job's id")
    func gatheredSingleEnqueues() async throws {
        let fixture = try await QueueFixture.make(.postgres)
        // 300 at once: 200 plain jobs, and 100 enqueues of 10 unique keys (one job per key).
        let results = try await withThrowingTaskGroup(of: (Int, Int64?).self) { group in
            for n in 0..<300 {
                group.addTask {
                    let key = n >= 200 ? "\(fixture.name)-key-\(n % 10)" : nil
                    return (n, try await fixture.queue.enqueue(Ping(n: n), options: JobOptions(queue: fixture.name, uniqueKey: key)))
                }
            }
            var results: [Int: Int64?] = [:]
            for try await (n, id) in group { results[n] = id }
            return results
        }
        let plain = (0..<200).compactMap { results[$0] ?? nil }
        #expect(plain.count == 200 && Set(plain).count == 200)
        #expect((200..<300).compactMap { results[$0] ?? nil }.count == 10)
        for n in [0, 57, 199] {
            let job = try #require(try await fixture.queue.job(results[n]!!))
            #expect(job.args.replacingOccurrences(of: " ", with: "") == "{\"n\":\(n)}", "job \(n)'s id names its own job")
        }
        #expect(try await fixture.count() == 210)
    }
}
