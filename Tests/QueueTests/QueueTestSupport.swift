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
///
/// Time is moved on with `passTime`: on SQLite by advancing the driver's injected clock, on
/// PostgreSQL (whose driver runs on the database's clock) by moving the times of this queue's
/// jobs into the past by as much. Either way the queue sees that much time go by, at once.
struct QueueFixture {
    let database: any Database
    let queue: JobQueue
    /// The SQLite driver's clock; nil on PostgreSQL.
    let clock: TestClock?
    let name = "q-" + UUID().uuidString.prefix(8).lowercased()

    static func make(_ engine: Engine) async throws -> QueueFixture {
        try await on(try await TestDatabases.migrated(engine))
    }

    /// A database of its own with only the queue's tables (for rows no other test may see).
    static func isolated(_ engine: Engine) async throws -> QueueFixture {
        let database = try await TestDatabases.empty(engine)
        try await Migrator(database: database, logger: .init(label: "test")).migrate(QueueMigrations.all)
        return try await on(database)
    }

    private static func on(_ database: any Database) async throws -> QueueFixture {
        let clock = database.engine == .sqlite ? TestClock() : nil
        let queue = JobQueue.on(database, logger: .init(label: "test"), clock: clock?.queueClock ?? .system)
        return QueueFixture(database: database, queue: queue, clock: clock)
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

    /// Lets `duration` go by for this queue's jobs.
    func passTime(_ duration: Duration) async throws {
        if let clock {
            clock.advance(duration)
            return
        }
        let micros = duration.wholeMicroseconds
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                UPDATE jobs SET run_at = run_at - \(bind: micros) * interval '1 microsecond',
                    fair_at = fair_at - \(bind: micros) * interval '1 microsecond',
                    created_at = created_at - \(bind: micros) * interval '1 microsecond',
                    attempted_at = attempted_at - \(bind: micros) * interval '1 microsecond',
                    finalized_at = finalized_at - \(bind: micros) * interval '1 microsecond',
                    lease_expires_at = lease_expires_at - \(bind: micros) * interval '1 microsecond'
                WHERE queue = \(bind: name)
                """).run()
        }
    }
}

/// The system clock plus an offset a test moves on.
final class TestClock: Sendable {
    private let offset = Mutex<Int64>(0)

    func advance(_ duration: Duration) { offset.withLock { $0 += duration.wholeMicroseconds } }

    var queueClock: QueueClock {
        QueueClock { QueueClock.system.microseconds + self.offset.withLock { $0 } }
    }
}

extension Duration {
    var wholeMicroseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}

/// Counts executions per job argument, for "exactly once" checks, and how many of them ended
/// (returned or threw).
final class Executions: Sendable {
    private let counts = Mutex<[Int: Int]>([:])
    private let endCounts = Mutex<[Int: Int]>([:])

    func record(_ n: Int) { counts.withLock { $0[n, default: 0] += 1 } }
    func end(_ n: Int) { endCounts.withLock { $0[n, default: 0] += 1 } }
    var all: [Int: Int] { counts.withLock { $0 } }
    var ended: [Int: Int] { endCounts.withLock { $0 } }
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
