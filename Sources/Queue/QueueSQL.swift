import Contracts
import Foundation
import SQLKit
import Storage

/// Queue statements that are not on the hot path, written once for both engines through sql-kit
/// (times are bound as `Date`s, which each engine stores in its own way).
enum QueueSQL {
    static let uniqueStates = QueueMigrations.uniqueStates

    /// The `errors` entry for a failed attempt, as JSON text.
    static func errorEntry(attempt: Int, at: Date, error: String) throws -> String {
        String(decoding: try JobCoding.encoder.encode(JobErrorEntry(attempt: attempt, at: at, error: String(error.prefix(2000)))), as: UTF8.self)
    }

    static func fireSchedules(_ database: any Database, driver: any QueueDriver, now: Date, limit: Int, lock: String) async throws -> Int {
        try await database.transaction(.system) { sql in
            let due = try await sql.raw("""
                SELECT name, cron, time_zone, queue, kind, args, priority, tenant_id, next_run_at FROM job_schedules
                WHERE enabled = \(bind: true) AND next_run_at <= \(bind: now) ORDER BY next_run_at LIMIT \(literal: limit) \(unsafeRaw: lock)
                """).all()
            for row in due {
                let name = try row.decode(column: "name", as: String.self)
                let tick = try row.decode(column: "next_run_at", as: Date.self)
                let zone = TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? TimeZone(identifier: "UTC")!
                let cron = try CronExpression(try row.decode(column: "cron", as: String.self))
                let options = JobOptions(
                    queue: try row.decode(column: "queue", as: String.self), priority: try row.decode(column: "priority", as: Int.self),
                    uniqueKey: "schedule:\(name):\(Int64(tick.timeIntervalSince1970))", tenantID: try row.decode(column: "tenant_id", as: UUID?.self)
                )
                let job = NewJob(kind: try row.decode(column: "kind", as: String.self), args: try row.decode(column: "args", as: String.self), options: options)
                _ = try await driver.insert([job], on: sql)
                // A scheduler that was down fires the missed tick once, then carries on from now.
                let next = cron.next(after: max(tick, now), in: zone) ?? now.addingTimeInterval(365 * 86_400)
                try await sql.raw("""
                    UPDATE job_schedules SET next_run_at = \(bind: next), last_run_at = \(bind: tick) WHERE name = \(bind: name)
                    """).run()
            }
            return due.count
        }
    }

    static func upsertSchedule(_ schedule: Schedule, database: any Database, now: Date) async throws {
        guard let next = schedule.cron.next(after: now, in: schedule.timeZone) else {
            throw DomainError(.invalidValue, "The cron expression '\(schedule.cron)' never fires.")
        }
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                INSERT INTO job_schedules (name, cron, time_zone, queue, kind, args, priority, tenant_id, next_run_at, enabled)
                VALUES (\(bind: schedule.name), \(bind: schedule.cron.description), \(bind: schedule.timeZone.identifier),
                        \(bind: schedule.options.queue), \(bind: schedule.kind), \(SQLJSON(schedule.args)), \(bind: schedule.options.priority),
                        \(bind: schedule.options.tenantID), \(bind: next), \(bind: schedule.enabled))
                ON CONFLICT (name) DO UPDATE SET queue = excluded.queue, kind = excluded.kind, args = excluded.args,
                    priority = excluded.priority, tenant_id = excluded.tenant_id, enabled = excluded.enabled,
                    next_run_at = CASE WHEN job_schedules.cron = excluded.cron AND job_schedules.time_zone = excluded.time_zone
                                       THEN job_schedules.next_run_at ELSE excluded.next_run_at END,
                    cron = excluded.cron, time_zone = excluded.time_zone
                """).run()
        }
    }

    /// GCRA: each key keeps the time its next permit is due; a permit is granted while that lies
    /// no further ahead than the burst allows.
    static func takePermit(key: String, interval: Duration, burst: Int, now: Date, database: any Database) async throws -> Duration? {
        let nowMicros = Int64((now.timeIntervalSince1970 * 1_000_000).rounded())
        let step = interval.milliseconds * 1000
        let window = step * Int64(max(burst, 1))
        return try await database.transaction(.system) { sql in
            let granted = try await sql.raw("""
                INSERT INTO rate_limits (key, tat) VALUES (\(bind: key), \(bind: nowMicros + step))
                ON CONFLICT (key) DO UPDATE SET tat = (CASE WHEN rate_limits.tat > \(bind: nowMicros) THEN rate_limits.tat ELSE \(bind: nowMicros) END) + \(bind: step)
                WHERE (CASE WHEN rate_limits.tat > \(bind: nowMicros) THEN rate_limits.tat ELSE \(bind: nowMicros) END) + \(bind: step) - \(bind: nowMicros) <= \(bind: window)
                RETURNING tat
                """).first()
            if granted != nil { return nil }
            let tat = try await sql.raw("SELECT tat FROM rate_limits WHERE key = \(bind: key)").first(decodingColumn: "tat", as: Int64.self) ?? nowMicros
            let waitMicros = max(tat + step - window - nowMicros, 1000)
            return .microseconds(waitMicros)
        }
    }

    static func stats(_ database: any Database, now: Date) async throws -> QueueStats {
        try await database.read(.system) { sql in
            let rows = try await sql.raw("SELECT queue, state, count(*) AS n FROM jobs GROUP BY queue, state ORDER BY queue, state").all().compactMap { row -> QueueStats.Row? in
                guard let state = JobState(rawValue: try row.decode(column: "state", as: String.self)) else { return nil }
                return QueueStats.Row(queue: try row.decode(column: "queue", as: String.self), state: state, count: try row.decode(column: "n", as: Int.self))
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
                JobRecord(
                    id: try row.decode(column: "id", as: Int64.self),
                    queue: try row.decode(column: "queue", as: String.self),
                    kind: try row.decode(column: "kind", as: String.self),
                    tenantId: try row.decode(column: "tenant_id", as: UUID?.self),
                    args: try row.decode(column: "args", as: String.self),
                    priority: try row.decode(column: "priority", as: Int.self),
                    state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .dead,
                    attempt: try row.decode(column: "attempt", as: Int.self),
                    maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                    runAt: try row.decode(column: "run_at", as: Date.self),
                    uniqueKey: try row.decode(column: "unique_key", as: String?.self),
                    leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
                    errors: (try? JobCoding.decoder().decode([JobErrorEntry].self, from: Data(try row.decode(column: "errors", as: String.self).utf8))) ?? [],
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    finalizedAt: try row.decode(column: "finalized_at", as: Date?.self)
                )
            }
        }
    }

    /// Puts a finished or waiting job back to run now, with one more attempt if it had none left.
    static func retry(_ id: Int64, database: any Database, now: Date) async throws -> Bool {
        do {
            return try await database.transaction(.system) { sql in
                try await sql.raw("""
                    UPDATE jobs SET state = 'available', run_at = \(bind: now), fair_at = \(bind: now), finalized_at = NULL,
                        max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END
                    WHERE id = \(bind: id) AND state IN ('dead', 'cancelled', 'retryable', 'scheduled', 'completed') RETURNING id
                    """).first() != nil
            }
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError(.conflict, "Another job with the same unique key is waiting or running.")
        }
    }

    static func finish(_ id: Int64, to state: JobState, from states: [JobState], database: any Database, now: Date) async throws -> Bool {
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                UPDATE jobs SET state = \(bind: state.rawValue), finalized_at = \(bind: now)
                WHERE id = \(bind: id) AND state IN (\(binds: states.map(\.rawValue))) RETURNING id
                """).first() != nil
        }
    }
}
