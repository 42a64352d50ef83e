import Foundation
import Queue
import SQLKit
import Storage
import Synchronization
import TestSupport

struct Ping: JobArgs {
    static let kind = "test.ping"
    let n: Int
}

/// A queue on a migrated database of the engine, and a queue name no other test uses.
struct QueueFixture {
    let database: any Database
    let queue: JobQueue
    let name = "q-" + UUID().uuidString.prefix(8).lowercased()

    static func make(_ engine: Engine) async throws -> QueueFixture {
        let database = try await TestDatabases.migrated(engine)
        return QueueFixture(database: database, queue: JobQueue.on(database, logger: .init(label: "test")))
    }

    var options: JobOptions { JobOptions(queue: name) }

    func claim(_ limit: Int, worker: String = "w1", lease: Duration = .seconds(30)) async throws -> [ClaimedJob] {
        try await queue.driver.claim(queue: name, limit: limit, worker: worker, lease: lease)
    }

    func count(_ state: JobState? = nil) async throws -> Int {
        try await database.read(.system) { sql in
            var query: SQLQueryString = "SELECT count(*) AS n FROM jobs WHERE queue = \(bind: name)"
            if let state { query = "\(query) AND state = \(bind: state.rawValue)" }
            return try await sql.raw(query).first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }
}

/// Counts executions per job argument, for "exactly once" checks.
final class Executions: Sendable {
    private let counts = Mutex<[Int: Int]>([:])

    func record(_ n: Int) { counts.withLock { $0[n, default: 0] += 1 } }
    var all: [Int: Int] { counts.withLock { $0 } }
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}

