import Foundation
import Logging
import SQLKit
import Storage
import Synchronization

/// The queue in the embedded single process: the same table and states on SQLite, whose single
/// writer makes a plain `UPDATE … RETURNING` claim safe. Workers in the same process are woken
/// directly after a commit, and poll otherwise. Every time comes from one injected `QueueClock`.
public final class SQLiteQueueDriver: QueueDriver {
    public let engine = Engine.sqlite
    let database: any Database
    let clock: QueueClock
    let logger: Logger
    private let waiters = Mutex<[@Sendable (String) -> Void]>([])

    public init(database: any Database, clock: QueueClock = .system, logger: Logger = Logger(label: "crm.queue")) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    private var time: QueueTime { .clock(clock) }
    private func now() -> Date { clock.now }

    /// Wakes this process's workers for `queue` (after a commit that made jobs available).
    public func wake(_ queue: String) {
        for wake in waiters.withLock({ $0 }) { wake(queue) }
    }

    public func insert(_ jobs: [NewJob], on sql: any SQLDatabase) async throws -> [Int64?] {
        try await insert(jobs, spacing: .zero, on: sql)
    }

    /// Inserts in multi-row statements of up to 200 jobs; ids come back in order, nil for a job
    /// dropped by its unique key.
    private func insert(_ jobs: [NewJob], spacing: Duration, on sql: any SQLDatabase) async throws -> [Int64?] {
        let now = now()
        var perTenant: [UUID?: Int] = [:]
        var ids: [Int64?] = []
        for start in stride(from: 0, to: jobs.count, by: 200) {
            let chunk = jobs[start..<min(start + 200, jobs.count)]
            var values: [SQLQueryString] = []
            for job in chunk {
                let options = job.options
                let runAt = options.runAt ?? now
                let rank = perTenant[options.tenantID, default: 0]
                perTenant[options.tenantID] = rank + 1
                let fairAt = max(runAt, now).addingTimeInterval(Double(rank) * spacing.seconds)
                values.append("""
                    (\(bind: options.queue), \(bind: job.kind), \(bind: options.tenantID), \(bind: job.args), \(bind: options.priority),
                     \(bind: runAt > now ? "scheduled" : "available"), \(bind: options.maxAttempts), \(bind: runAt), \(bind: fairAt),
                     \(bind: options.uniqueKey), \(bind: now))
                    """)
            }
            let rows = try await sql.raw("""
                INSERT INTO jobs (queue, kind, tenant_id, args, priority, state, max_attempts, run_at, fair_at, unique_key, created_at)
                VALUES \(SQLList(values, separator: SQLRaw(", ")))
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN \(unsafeRaw: QueueMigrations.uniqueStates) DO NOTHING
                RETURNING id, unique_key, created_at
                """).all()
            // Rows come back for inserted jobs only; match them to the chunk by unique key.
            let inserted = try rows.map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "unique_key", as: String?.self)) }
            if inserted.count == chunk.count {
                ids += inserted.map(\.0).sorted().map { Optional($0) }
            } else {
                let byKey = Dictionary(inserted.compactMap { id, key in key.map { ($0, id) } }, uniquingKeysWith: { first, _ in first })
                var plain = inserted.filter { $0.1 == nil }.map(\.0).sorted().makeIterator()
                for job in chunk {
                    ids.append(job.options.uniqueKey.map { byKey[$0] } ?? plain.next())
                }
            }
        }
        return ids
    }

    public func insertBatch(_ jobs: [NewJob], spacing: Duration) async throws -> [Int64] {
        let ids = try await database.transaction(.system) { sql in try await self.insert(jobs, spacing: spacing, on: sql) }
        for queue in Set(jobs.map(\.options.queue)) { wake(queue) }
        return ids.compactMap { $0 }
    }

    /// SQLite reads its small index quickly; `after` is not needed there and ignored.
    public func claim(queue: String, limit: Int, worker: String, lease: Duration, after: ClaimPosition?, completing: [Int64], keep: Bool) async throws -> [ClaimedJob] {
        let now = now()
        return try await database.transaction(.system) { sql in
            if !completing.isEmpty { _ = try await self.completeStatement(completing, worker: worker, keep: keep, on: sql) }
            return try await sql.raw("""
                UPDATE jobs SET state = 'running', attempt = attempt + 1, attempted_at = \(bind: now), lease_owner = \(bind: worker),
                    lease_expires_at = \(bind: now.addingTimeInterval(lease.seconds))
                WHERE id IN (
                    SELECT id FROM jobs WHERE state IN ('available', 'scheduled', 'retryable') AND queue = \(bind: queue) AND run_at <= \(bind: now)
                    ORDER BY priority, fair_at, id LIMIT \(literal: limit)
                )
                RETURNING id, kind, tenant_id, args, attempt, max_attempts, created_at, run_at
                """).all().map { row in
                    ClaimedJob(
                        id: try row.decode(column: "id", as: Int64.self), queue: queue, kind: try row.decode(column: "kind", as: String.self),
                        tenantID: try row.decode(column: "tenant_id", as: UUID?.self), args: try row.decode(column: "args", as: String.self),
                        attempt: try row.decode(column: "attempt", as: Int.self), maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                        createdAt: try row.decode(column: "created_at", as: Date.self), runAt: try row.decode(column: "run_at", as: Date.self)
                    )
                }
        }
    }

    public func complete(_ ids: [Int64], worker: String, keep: Bool) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await database.transaction(.system) { sql in
            try await self.completeStatement(ids, worker: worker, keep: keep, on: sql).count
        }
    }

    public func complete(attempts: [JobAttempt], worker: String, keep: Bool, on sql: any SQLDatabase) async throws -> Set<Int64> {
        guard !attempts.isEmpty else { return [] }
        let attemptOf = Dictionary(attempts.map { ($0.id, $0.attempt) }, uniquingKeysWith: { first, _ in first })
        // One statement for all: each id with its own attempt (`CASE id WHEN … THEN attempt`).
        var cases: SQLQueryString = "CASE id"
        for (id, attempt) in attemptOf { cases.appendInterpolation(unsafeRaw: " WHEN \(id) THEN \(attempt)") }
        cases.appendInterpolation(unsafeRaw: " END")
        let held: SQLQueryString = "id IN (\(binds: Array(attemptOf.keys))) AND lease_owner = \(bind: worker) AND state = 'running' AND attempt = \(cases)"
        return Set(try await completeStatement(where: held, keep: keep, on: sql).map { try $0.decode(column: "id", as: Int64.self) })
    }

    private func completeStatement(_ ids: [Int64], worker: String, keep: Bool, on sql: any SQLDatabase) async throws -> [any SQLRow] {
        try await completeStatement(where: "id IN (\(binds: ids)) AND lease_owner = \(bind: worker) AND state = 'running'", keep: keep, on: sql)
    }

    /// Completes the jobs `held` names: deletes them, or keeps them `completed` when `keep`.
    private func completeStatement(where held: SQLQueryString, keep: Bool, on sql: any SQLDatabase) async throws -> [any SQLRow] {
        let statement: SQLQueryString = keep
            ? """
              UPDATE jobs SET state = 'completed', finalized_at = \(bind: now()), lease_owner = NULL, lease_expires_at = NULL
              WHERE \(held) RETURNING id
              """
            : "DELETE FROM jobs WHERE \(held) RETURNING id"
        return try await sql.raw(statement).all()
    }

    public func fail(_ id: Int64, worker: String, error: String, decision: FailureDecision) async throws {
        let now = now()
        let (state, runAt, snooze): (String, Date?, Bool) = switch decision {
        case .retry(let after): ("retryable", now.addingTimeInterval(after.seconds), false)
        case .snooze(let wait): ("scheduled", now.addingTimeInterval(wait.seconds), true)
        case .dead: ("dead", nil, false)
        case .cancel: ("cancelled", nil, false)
        }
        try await database.transaction(.system) { sql in
            guard let row = try await sql.raw("SELECT attempt, errors FROM jobs WHERE id = \(bind: id) AND lease_owner = \(bind: worker) AND state = 'running'").first() else { return }
            let attempt = try row.decode(column: "attempt", as: Int.self)
            var errors = try row.decode(column: "errors", as: String.self)
            if !snooze {
                let entry = try QueueSQL.errorEntry(attempt: attempt, at: now, error: error)
                errors = errors == "[]" ? "[\(entry)]" : String(errors.dropLast()) + ",\(entry)]"
            }
            try await sql.raw("""
                UPDATE jobs SET state = \(bind: state), lease_owner = NULL, lease_expires_at = NULL,
                    run_at = COALESCE(\(bind: runAt), run_at), fair_at = COALESCE(\(bind: runAt), fair_at),
                    attempt = attempt - \(bind: snooze ? 1 : 0), errors = \(bind: errors),
                    finalized_at = \(bind: state == "dead" || state == "cancelled" ? now : nil)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    public func release(_ ids: [Int64], worker: String) async throws {
        guard !ids.isEmpty else { return }
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                UPDATE jobs SET state = 'available', attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL
                WHERE id IN (\(binds: ids)) AND lease_owner = \(bind: worker) AND state = 'running'
                """).run()
        }
    }

    /// One writer at a time: no row is ever busy.
    public func renewLeases(_ ids: [Int64], worker: String, lease: Duration) async throws -> LeaseRenewal {
        guard !ids.isEmpty else { return LeaseRenewal(renewed: []) }
        let until = Date(queueMicroseconds: clock.microseconds + lease.microseconds)
        return try await database.transaction(.system) { sql in
            LeaseRenewal(renewed: Set(try await sql.raw("""
                UPDATE jobs SET lease_expires_at = \(bind: until)
                WHERE id IN (\(binds: ids)) AND lease_owner = \(bind: worker) AND state = 'running' RETURNING id
                """).all().map { try $0.decode(column: "id", as: Int64.self) }))
        }
    }

    public func rescueExpired(limit: Int) async throws -> Int {
        let now = now()
        return try await database.transaction(.system) { sql in
            let lapsed = try await sql.raw("""
                SELECT id, attempt, max_attempts, lease_owner, errors FROM jobs
                WHERE state = 'running' AND lease_expires_at < \(bind: now) LIMIT \(literal: limit)
                """).all()
            for row in lapsed {
                let attempt = try row.decode(column: "attempt", as: Int.self)
                let exhausted = attempt >= (try row.decode(column: "max_attempts", as: Int.self))
                let owner = try row.decode(column: "lease_owner", as: String?.self) ?? "?"
                let entry = try QueueSQL.errorEntry(attempt: attempt, at: now, error: "lease expired: worker \(owner) stopped renewing it")
                let errors = try row.decode(column: "errors", as: String.self)
                try await sql.raw("""
                    UPDATE jobs SET state = \(bind: exhausted ? "dead" : "available"), lease_owner = NULL, lease_expires_at = NULL,
                        run_at = \(bind: now), finalized_at = \(bind: exhausted ? now : nil),
                        errors = \(bind: errors == "[]" ? "[\(entry)]" : String(errors.dropLast()) + ",\(entry)]")
                    WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))
                    """).run()
            }
            return lapsed.count
        }
    }

    public func prune(completedBefore: Duration, deadBefore: Duration, limit: Int) async throws -> Int {
        let now = now()
        return try await database.transaction(.system) { sql in
            try await sql.raw("""
                DELETE FROM jobs WHERE id IN (
                    SELECT id FROM jobs
                    WHERE (state IN ('completed', 'cancelled') AND finalized_at < \(bind: now.addingTimeInterval(-completedBefore.seconds)))
                       OR (state = 'dead' AND finalized_at < \(bind: now.addingTimeInterval(-deadBefore.seconds)))
                    LIMIT \(literal: limit)
                ) RETURNING id
                """).all().count
        }
    }

    public func fireSchedules(limit: Int) async throws -> Int {
        try await QueueSQL.fireSchedules(database, driver: self, time: time, limit: limit, lock: "", logger: logger)
    }

    public func upsertSchedule(_ schedule: Schedule) async throws {
        try await QueueSQL.upsertSchedule(schedule, database: database, time: time)
    }

    public func takePermit(key: String, interval: Duration, burst: Int) async throws -> Duration? {
        try await QueueSQL.takePermit(key: key, interval: interval, burst: burst, database: database, time: time)
    }

    public func stats() async throws -> QueueStats { try await QueueSQL.stats(database, time: time) }

    public func jobs(state: JobState?, queue: String?, limit: Int) async throws -> [JobRecord] {
        try await QueueSQL.jobs(database, state: state, queue: queue, id: nil, limit: limit)
    }

    public func job(_ id: Int64) async throws -> JobRecord? {
        try await QueueSQL.jobs(database, state: nil, queue: nil, id: id, limit: 1).first
    }

    public func retry(_ id: Int64) async throws -> Bool { try await QueueSQL.retry(id, database: database, time: time) }
    public func cancel(_ id: Int64) async throws -> Bool { try await QueueSQL.finish(id, to: .cancelled, from: JobState.pending, database: database, time: time) }
    public func discard(_ id: Int64) async throws -> Bool { try await QueueSQL.finish(id, to: .dead, from: JobState.pending, database: database, time: time) }
    public func cancelPending(uniqueKey: String, on sql: any SQLDatabase) async throws -> Int {
        try await QueueSQL.cancelPending(uniqueKey: uniqueKey, on: sql, time: time)
    }

    public func listen(_ wake: @escaping @Sendable (String) -> Void) async throws {
        waiters.withLock { $0.append(wake) }
        // Wakes come from `wake(_:)`; this task only keeps the registration alive until cancelled.
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
