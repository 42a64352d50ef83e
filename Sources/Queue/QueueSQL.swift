import Contracts
import Foundation
import Logging
import SQLKit
import Storage

/// Queue statements that are not on the hot path, written once for both engines through sql-kit
/// (times are bound as `Date`s, which each engine stores in its own way). Each takes its time from
/// the driver's `QueueTime`: PostgreSQL's `now()` or SQLite's injected clock.
enum QueueSQL {
    static let uniqueStates = QueueMigrations.uniqueStates

    /// The `errors` entry for a failed attempt, as JSON text.
    static func errorEntry(attempt: Int, at: Date, error: String) throws -> String {
        String(decoding: try JobCoding.encoder.encode(JobErrorEntry(attempt: attempt, at: at, error: String(error.prefix(2000)))), as: UTF8.self)
    }

    /// Fires the due schedules, each in the same transaction as its next tick. A schedule row that
    /// cannot be read (a cron expression that does not parse, a time zone this system does not know)
    /// is disabled with the reason in `disabled_reason` and logged; the others fire.
    static func fireSchedules(_ database: any Database, driver: any QueueDriver, time: QueueTime, limit: Int, lock: String, logger: Logger) async throws -> Int {
        try await database.transaction(.system) { sql in
            let now = try await time.now(on: sql)
            let due = try await sql.raw("""
                SELECT name, cron, time_zone, queue, kind, args, priority, tenant_id, next_run_at FROM job_schedules
                WHERE enabled = \(bind: true) AND next_run_at <= \(bind: now) ORDER BY next_run_at LIMIT \(literal: limit) \(unsafeRaw: lock)
                """).all()
            var fired = 0
            for row in due {
                let name = try row.decode(column: "name", as: String.self)
                let tick: Date, cron: CronExpression, zone: TimeZone, job: NewJob
                do {
                    (tick, cron, zone, job) = try dueJob(row, name: name)
                } catch {
                    let reason = String(describing: error)
                    logger.error("schedule disabled: its row cannot be read", metadata: ["schedule": .string(name), "reason": .string(reason)])
                    try await sql.raw("""
                        UPDATE job_schedules SET enabled = \(bind: false), disabled_reason = \(bind: reason) WHERE name = \(bind: name)
                        """).run()
                    continue
                }
                _ = try await driver.insert([job], on: sql)
                // A scheduler that was down fires the missed tick once, then carries on from now.
                let next = cron.next(after: max(tick, now), in: zone) ?? now.addingTimeInterval(365 * 86_400)
                try await sql.raw("""
                    UPDATE job_schedules SET next_run_at = \(bind: next), last_run_at = \(bind: tick) WHERE name = \(bind: name)
                    """).run()
                fired += 1
            }
            return fired
        }
    }

    /// The job a due schedule row enqueues, with what computes its next tick; throws for a row that
    /// does not make sense.
    private static func dueJob(_ row: any SQLRow, name: String) throws -> (Date, CronExpression, TimeZone, NewJob) {
        let tick = try row.decode(column: "next_run_at", as: Date.self)
        let zoneName = try row.decode(column: "time_zone", as: String.self)
        guard let zone = TimeZone(identifier: zoneName) else {
            throw QueueDataError("unknown time zone '\(zoneName)'")
        }
        let cron = try CronExpression(try row.decode(column: "cron", as: String.self))
        let options = JobOptions(
            queue: try row.decode(column: "queue", as: String.self), priority: try row.decode(column: "priority", as: Int.self),
            uniqueKey: "schedule:\(name):\(Int64(tick.timeIntervalSince1970))", tenantID: try row.decode(column: "tenant_id", as: UUID?.self)
        )
        return (tick, cron, zone, NewJob(kind: try row.decode(column: "kind", as: String.self), args: try row.decode(column: "args", as: String.self), options: options))
    }

    static func upsertSchedule(_ schedule: Schedule, database: any Database, time: QueueTime) async throws {
        try await database.transaction(.system) { sql in
            let now = try await time.now(on: sql)
            guard let next = schedule.cron.next(after: now, in: schedule.timeZone) else {
                throw DomainError(.invalidValue, "The cron expression '\(schedule.cron)' never fires.")
            }
            try await sql.raw("""
                INSERT INTO job_schedules (name, cron, time_zone, queue, kind, args, priority, tenant_id, next_run_at, enabled)
                VALUES (\(bind: schedule.name), \(bind: schedule.cron.description), \(bind: schedule.timeZone.identifier),
                        \(bind: schedule.options.queue), \(bind: schedule.kind), \(SQLJSON(schedule.args)), \(bind: schedule.options.priority),
                        \(bind: schedule.options.tenantID), \(bind: next), \(bind: schedule.enabled))
                ON CONFLICT (name) DO UPDATE SET queue = excluded.queue, kind = excluded.kind, args = excluded.args,
                    priority = excluded.priority, tenant_id = excluded.tenant_id, enabled = excluded.enabled, disabled_reason = NULL,
                    next_run_at = CASE WHEN job_schedules.cron = excluded.cron AND job_schedules.time_zone = excluded.time_zone
                                       THEN job_schedules.next_run_at ELSE excluded.next_run_at END,
                    cron = excluded.cron, time_zone = excluded.time_zone
                """).run()
        }
    }

    /// GCRA on whole microseconds: each key keeps the time its next permit is due (`tat`); a permit
    /// is granted while that lies no further ahead than the burst allows. Returns nil when granted,
    /// otherwise how many microseconds to wait (at least a millisecond).
    static func takePermit(key: String, step: Int64, burst: Int, now: Int64, on sql: any SQLDatabase) async throws -> Int64? {
        let window = step * Int64(max(burst, 1))
        let granted = try await sql.raw("""
            INSERT INTO rate_limits (key, tat) VALUES (\(bind: key), \(bind: now + step))
            ON CONFLICT (key) DO UPDATE SET tat = (CASE WHEN rate_limits.tat > \(bind: now) THEN rate_limits.tat ELSE \(bind: now) END) + \(bind: step)
            WHERE (CASE WHEN rate_limits.tat > \(bind: now) THEN rate_limits.tat ELSE \(bind: now) END) + \(bind: step) - \(bind: now) <= \(bind: window)
            RETURNING tat
            """).first()
        if granted != nil { return nil }
        guard let tat = try await sql.raw("SELECT tat FROM rate_limits WHERE key = \(bind: key)").first(decodingColumn: "tat", as: Int64.self) else {
            throw QueueDataError("the rate limit '\(key)' refused a permit but has no row")
        }
        return max(tat + step - window - now, 1000)
    }

    static func takePermit(key: String, interval: Duration, burst: Int, database: any Database, time: QueueTime) async throws -> Duration? {
        try await database.transaction(.system) { sql in
            let now = try await time.microseconds(on: sql)
            return try await takePermit(key: key, step: interval.microseconds, burst: burst, now: now, on: sql).map { .microseconds($0) }
        }
    }

    static func stats(_ database: any Database, time: QueueTime) async throws -> QueueStats {
        try await database.read(.system) { sql in
            let now = try await time.now(on: sql)
            let rows = try await sql.raw("SELECT queue, state, count(*) AS n FROM jobs GROUP BY queue, state ORDER BY queue, state").all().map { row in
                QueueStats.Row(queue: try row.decode(column: "queue", as: String.self), state: try QueueSQL.state(row),
                               count: try row.decode(column: "n", as: Int.self))
            }
            var oldest: [String: Double] = [:]
            for row in try await sql.raw("""
                SELECT queue, MIN(run_at) AS oldest FROM jobs
                WHERE state IN ('available', 'scheduled', 'retryable') AND run_at <= \(bind: now) GROUP BY queue
                """).all() {
                oldest[try row.decode(column: "queue", as: String.self)] = max(0, now.timeIntervalSince(try row.decode(column: "oldest", as: Date.self)))
            }
            return QueueStats(rows: rows, oldestAvailableAge: oldest)
        }
    }

    /// A row's `state`, which must be one the queue knows.
    static func state(_ row: any SQLRow) throws -> JobState {
        let value = try row.decode(column: "state", as: String.self)
        guard let state = JobState(rawValue: value) else { throw QueueDataError("unknown job state '\(value)' in the jobs table") }
        return state
    }

    /// A row's `errors` history, which must decode.
    static func errors(_ row: any SQLRow, job id: Int64) throws -> [JobErrorEntry] {
        let text = try row.decode(column: "errors", as: String.self)
        do {
            return try JobCoding.decoder().decode([JobErrorEntry].self, from: Data(text.utf8))
        } catch {
            throw QueueDataError("the errors history of job \(id) does not decode (\(error)): \(text.prefix(200))")
        }
    }

    static func jobs(_ database: any Database, state: JobState?, queue: String?, id: Int64?, limit: Int) async throws -> [JobRecord] {
        try await database.read(.system) { sql in
            var query: SQLQueryString = """
                SELECT id, queue, kind, tenant_id, args, priority, state, attempt, max_attempts, run_at, unique_key, lease_owner,
                       errors, created_at, finalized_at FROM jobs WHERE 1 = 1
                """
            if let state { query = "\(query) AND state = \(bind: state.rawValue)" }
            if let queue { query = "\(query) AND queue = \(bind: queue)" }
            if let id { query = "\(query) AND id = \(bind: id)" }
            query = "\(query) ORDER BY id DESC LIMIT \(literal: limit)"
            return try await sql.raw(query).all().map { row in
                let id = try row.decode(column: "id", as: Int64.self)
                return JobRecord(
                    id: id,
                    queue: try row.decode(column: "queue", as: String.self),
                    kind: try row.decode(column: "kind", as: String.self),
                    tenantId: try row.decode(column: "tenant_id", as: UUID?.self),
                    args: try row.decode(column: "args", as: String.self),
                    priority: try row.decode(column: "priority", as: Int.self),
                    state: try QueueSQL.state(row),
                    attempt: try row.decode(column: "attempt", as: Int.self),
                    maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                    runAt: try row.decode(column: "run_at", as: Date.self),
                    uniqueKey: try row.decode(column: "unique_key", as: String?.self),
                    leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
                    errors: try QueueSQL.errors(row, job: id),
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    finalizedAt: try row.decode(column: "finalized_at", as: Date?.self)
                )
            }
        }
    }

    /// Puts a finished or waiting job back to run now, with one more attempt if it had none left.
    static func retry(_ id: Int64, database: any Database, time: QueueTime) async throws -> Bool {
        do {
            return try await database.transaction(.system) { sql in
                let now = try await time.now(on: sql)
                return try await sql.raw("""
                    UPDATE jobs SET state = 'available', run_at = \(bind: now), fair_at = \(bind: now), finalized_at = NULL,
                        max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END
                    WHERE id = \(bind: id) AND state IN ('dead', 'cancelled', 'retryable', 'scheduled', 'completed') RETURNING id
                    """).first() != nil
            }
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError(.conflict, "Another job with the same unique key is waiting or running.")
        }
    }

    static func cancelPending(uniqueKey: String, on sql: any SQLDatabase, time: QueueTime) async throws -> Int {
        let now = try await time.now(on: sql)
        return try await sql.raw("""
            UPDATE jobs SET state = 'cancelled', finalized_at = \(bind: now)
            WHERE unique_key = \(bind: uniqueKey) AND state IN (\(binds: JobState.pending.map(\.rawValue))) RETURNING id
            """).all().count
    }

    static func finish(_ id: Int64, to state: JobState, from states: [JobState], database: any Database, time: QueueTime) async throws -> Bool {
        try await database.transaction(.system) { sql in
            let now = try await time.now(on: sql)
            return try await sql.raw("""
                UPDATE jobs SET state = \(bind: state.rawValue), finalized_at = \(bind: now)
                WHERE id = \(bind: id) AND state IN (\(binds: states.map(\.rawValue))) RETURNING id
                """).first() != nil
        }
    }
}
