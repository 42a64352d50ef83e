import Foundation
import Logging
import PostgresNIO
import SQLKit
import Storage

/// The queue on PostgreSQL. Hot paths (claim, complete, renew, batch insert) are single statements
/// sent through postgres-nio directly. Every time comes from the database (`now()`), the hot paths'
/// and the sql-kit statements' (schedules, rate limits, stats, operator actions) alike, so worker
/// clocks do not matter; waiting workers are woken by `NOTIFY crm_jobs, '<queue>'`, sent after
/// the enqueue commits by the process's `PostgresWaker` (not inside the enqueuing transaction).
public struct PostgresQueueDriver: QueueDriver {
    public let engine = Engine.postgres
    public static let channel = "crm_jobs"
    /// The time as ISO 8601 in UTC, as the errors history stores it on both engines.
    static let utcNow = #"to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#
    let store: PostgresStore
    let logger: Logger
    let waker: PostgresWaker
    let singles: PostgresInsertGroup

    public init(store: PostgresStore, logger: Logger) {
        self.store = store
        self.logger = logger
        waker = PostgresWaker(client: store.client, logger: logger)
        singles = PostgresInsertGroup(client: store.client, logger: logger, waker: waker)
    }

    var client: PostgresClient { store.client }

    // MARK: Enqueue

    public func insert(_ jobs: [NewJob], on sql: any SQLDatabase) async throws -> [Int64?] {
        var ids: [Int64?] = []
        for job in jobs {
            let options = job.options
            let row = try await sql.raw("""
                WITH inserted AS (
                    INSERT INTO jobs (queue, kind, tenant_id, args, priority, state, max_attempts, run_at, fair_at, unique_key)
                    VALUES (\(bind: options.queue), \(bind: job.kind), \(bind: options.tenantID), CAST(\(bind: job.args) AS jsonb),
                            \(bind: options.priority), CASE WHEN CAST(\(bind: options.runAt) AS timestamptz) > now() THEN 'scheduled' ELSE 'available' END,
                            \(bind: options.maxAttempts), COALESCE(CAST(\(bind: options.runAt) AS timestamptz), now()),
                            GREATEST(COALESCE(CAST(\(bind: options.runAt) AS timestamptz), now()), now()), \(bind: options.uniqueKey))
                    ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN \(unsafeRaw: QueueMigrations.uniqueStates) DO NOTHING
                    RETURNING id, queue, run_at <= now() AS due
                )
                SELECT id, queue, due FROM inserted
                """).first()
            ids.append(try row?.decode(column: "id", as: Int64.self))
            if let row, try row.decode(column: "due", as: Bool.self) {
                let (waker, queue) = (self.waker, try row.decode(column: "queue", as: String.self))
                sql.afterCommit { waker.wake([queue]) }
            }
        }
        return ids
    }

    public func insertBatch(_ jobs: [NewJob], spacing: Duration) async throws -> [Int64] {
        guard jobs.count > 1 else {
            guard let job = jobs.first, let id = try await singles.insert(job) else { return [] }
            return [id]
        }
        // Fair ordering: each tenant's jobs of the batch are spread `spacing` apart in `fair_at`,
        // so that another tenant's job enqueued meanwhile sorts before the rest of this batch.
        var perTenant: [UUID?: Int64] = [:]
        var offsets: [Int64] = []
        for job in jobs {
            let rank = perTenant[job.options.tenantID, default: 0]
            offsets.append(rank * spacing.milliseconds)
            perTenant[job.options.tenantID] = rank + 1
        }
        let query: PostgresQuery = """
            WITH inserted AS (
                INSERT INTO jobs (queue, kind, tenant_id, args, priority, state, max_attempts, run_at, fair_at, unique_key)
                SELECT q, k, NULLIF(t, '')::uuid, a::jsonb, p::smallint,
                       CASE WHEN r > extract(epoch FROM now()) THEN 'scheduled' ELSE 'available' END, m,
                       CASE WHEN r = 0 THEN now() ELSE to_timestamp(r) END,
                       GREATEST(CASE WHEN r = 0 THEN now() ELSE to_timestamp(r) END, now()) + o * interval '1 millisecond',
                       NULLIF(u, '')
                FROM unnest(\(jobs.map(\.options.queue)), \(jobs.map(\.kind)), \(jobs.map { $0.options.tenantID?.uuidString ?? "" }),
                            \(jobs.map(\.args)), \(jobs.map { Int32($0.options.priority) }), \(jobs.map { Int32($0.options.maxAttempts) }),
                            \(jobs.map { $0.options.runAt?.timeIntervalSince1970 ?? 0 }), \(offsets), \(jobs.map { $0.options.uniqueKey ?? "" }))
                     AS x(q, k, t, a, p, m, r, o, u)
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'retryable', 'running') DO NOTHING
                RETURNING id, queue, run_at <= now() AS due
            )
            SELECT coalesce(array_agg(id), '{}') AS ids, coalesce(array_agg(DISTINCT queue) FILTER (WHERE due), '{}') AS due
            FROM inserted
            """
        let rows = try await client.query(query, logger: logger)
        for try await (ids, due) in rows.decode(([Int64], [String]).self) {
            waker.wake(due)
            return ids
        }
        return []
    }

    // MARK: Work

    public func claim(queue: String, limit: Int, worker: String, lease: Duration, after: ClaimPosition?, completing: [Int64], keep: Bool) async throws -> [ClaimedJob] {
        // See crm_claim_jobs in QueueMigrations: one statement records the finished jobs and claims a
        // batch of due jobs in priority and fair order, `FOR UPDATE SKIP LOCKED`, under this worker's lease.
        let query: PostgresQuery = """
            SELECT * FROM crm_claim_jobs(\(queue), \(Int32(limit)), \(worker), \(lease.milliseconds), \(completing), \(keep),
                                         \(after.map { Int16($0.priority) }), \(after?.fairAt), \(after?.id))
            """
        var jobs: [ClaimedJob] = []
        let rows = try await client.query(query, logger: logger)
        for try await (id, kind, tenant, args, attempt, maxAttempts, created, runAt, priority, fairAt) in rows.decode(
            (Int64, String, UUID?, String, Int32, Int32, Date, Date, Int16, Date).self
        ) {
            var job = ClaimedJob(id: id, queue: queue, kind: kind, tenantID: tenant, args: args, attempt: Int(attempt),
                                 maxAttempts: Int(maxAttempts), createdAt: created, runAt: runAt)
            job.position = ClaimPosition(priority: Int(priority), fairAt: fairAt, id: id)
            jobs.append(job)
        }
        return jobs
    }

    public func complete(_ ids: [Int64], worker: String, keep: Bool) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        // crm_complete_jobs commits asynchronously (see QueueMigrations).
        let query: PostgresQuery = "SELECT crm_complete_jobs(\(ids), \(worker), \(keep))"
        for try await done in try await client.query(query, logger: logger).decode(Int64.self) { return Int(done) }
        return 0
    }

    public func complete(attempts: [JobAttempt], worker: String, keep: Bool, on sql: any SQLDatabase) async throws -> Set<Int64> {
        guard !attempts.isEmpty else { return [] }
        // `id = ANY` finds the rows by the primary key; each row's attempt is then the one at its id's place.
        let ids = attempts.map(\.id)
        let held: SQLQueryString = """
            id = ANY(\(bind: ids)) AND lease_owner = \(bind: worker) AND state = 'running'
              AND attempt = (\(bind: attempts.map { Int32($0.attempt) }))[array_position(\(bind: ids), id)]
            """
        let statement: SQLQueryString = keep
            ? """
              UPDATE jobs SET state = 'completed', finalized_at = now(), lease_owner = NULL, lease_expires_at = NULL
              WHERE \(held) RETURNING id
              """
            : "DELETE FROM jobs WHERE \(held) RETURNING id"
        return Set(try await sql.raw(statement).all().map { try $0.decode(column: "id", as: Int64.self) })
    }

    public func commitAsynchronously(on sql: any SQLDatabase) async throws {
        try await sql.raw("SELECT set_config('synchronous_commit', 'off', true)").run()
    }

    public func fail(_ id: Int64, worker: String, error: String, decision: FailureDecision) async throws {
        let (state, delay, snooze): (String, Int64?, Bool) = switch decision {
        case .retry(let after): ("retryable", after.microseconds, false)
        case .snooze(let wait): ("scheduled", wait.microseconds, true)
        case .dead: ("dead", nil, false)
        case .cancel: ("cancelled", nil, false)
        }
        let final = state == "dead" || state == "cancelled"
        let query: PostgresQuery = """
            UPDATE jobs SET state = \(state), lease_owner = NULL, lease_expires_at = NULL,
                run_at = COALESCE(now() + \(delay) * interval '1 microsecond', run_at),
                fair_at = COALESCE(now() + \(delay) * interval '1 microsecond', fair_at),
                attempt = attempt - \(Int32(snooze ? 1 : 0)),
                errors = CASE WHEN \(snooze) THEN errors
                         ELSE errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', \(unescaped: Self.utcNow), 'error', \(error))) END,
                finalized_at = CASE WHEN \(final) THEN now() END
            WHERE id = \(id) AND lease_owner = \(worker) AND state = 'running'
            """
        _ = try await client.query(query, logger: logger).collect()
    }

    public func release(_ ids: [Int64], worker: String) async throws {
        guard !ids.isEmpty else { return }
        let query: PostgresQuery = """
            UPDATE jobs SET state = 'available', attempt = attempt - 1, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ANY(\(ids)) AND lease_owner = \(worker) AND state = 'running'
            """
        _ = try await client.query(query, logger: logger).collect()
        _ = try await client.query("SELECT pg_notify('crm_jobs', q) FROM (SELECT DISTINCT queue AS q FROM jobs WHERE id = ANY(\(ids))) d", logger: logger).collect()
    }

    /// Rows locked by another transaction are skipped, not waited for: the worker's completions lock
    /// a batch's rows in their own order, and waiting here could deadlock with one of them (which
    /// PostgreSQL would end by aborting either, the completion with every answer it records).
    public func renewLeases(_ ids: [Int64], worker: String, lease: Duration) async throws -> LeaseRenewal {
        guard !ids.isEmpty else { return LeaseRenewal(renewed: []) }
        let query: PostgresQuery = """
            WITH held AS (
                SELECT id FROM jobs WHERE id = ANY(\(ids)) AND lease_owner = \(worker) AND state = 'running'
            ), renewed AS (
                UPDATE jobs SET lease_expires_at = now() + \(lease.microseconds) * interval '1 microsecond'
                WHERE id IN (SELECT id FROM jobs WHERE id = ANY(\(ids)) AND lease_owner = \(worker) AND state = 'running'
                             FOR NO KEY UPDATE SKIP LOCKED)
                RETURNING id
            )
            SELECT held.id, renewed.id IS NOT NULL FROM held LEFT JOIN renewed ON renewed.id = held.id
            """
        var renewal = LeaseRenewal(renewed: [])
        for try await (id, renewed) in try await client.query(query, logger: logger).decode((Int64, Bool).self) {
            if renewed { renewal.renewed.insert(id) } else { renewal.busy.insert(id) }
        }
        return renewal
    }

    public func rescueExpired(limit: Int) async throws -> Int {
        let query: PostgresQuery = """
            WITH lapsed AS (
                SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < now() LIMIT \(Int32(limit)) FOR UPDATE SKIP LOCKED
            ), rescued AS (
                UPDATE jobs j SET
                    state = CASE WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'available' END,
                    errors = j.errors || jsonb_build_array(jsonb_build_object('attempt', j.attempt, 'at', \(unescaped: Self.utcNow),
                             'error', 'lease expired: worker ' || coalesce(j.lease_owner, '?') || ' stopped renewing it')),
                    finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
                    lease_owner = NULL, lease_expires_at = NULL, run_at = now()
                FROM lapsed WHERE j.id = lapsed.id
                RETURNING j.queue, j.state
            )
            SELECT count(*)::int8,
                   (SELECT string_agg(pg_notify('crm_jobs', d.queue)::text, '') FROM (SELECT DISTINCT queue FROM rescued WHERE state = 'available') d)
            FROM rescued
            """
        for try await (count, _) in try await client.query(query, logger: logger).decode((Int64, String?).self) { return Int(count) }
        return 0
    }

    public func prune(completedBefore: Duration, deadBefore: Duration, limit: Int) async throws -> Int {
        let query: PostgresQuery = """
            WITH old AS (
                SELECT id FROM jobs
                WHERE (state IN ('completed', 'cancelled') AND finalized_at < now() - \(completedBefore.milliseconds) * interval '1 millisecond')
                   OR (state = 'dead' AND finalized_at < now() - \(deadBefore.milliseconds) * interval '1 millisecond')
                LIMIT \(Int32(limit))
            ), deleted AS (DELETE FROM jobs WHERE id IN (SELECT id FROM old) RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        for try await count in try await client.query(query, logger: logger).decode(Int64.self) { return Int(count) }
        return 0
    }

    // MARK: Schedules and limits (not hot: through sql-kit, shared with SQLite; on the database's clock)

    public func fireSchedules(limit: Int) async throws -> Int {
        try await QueueSQL.fireSchedules(store, driver: self, time: .database, limit: limit, lock: "FOR UPDATE SKIP LOCKED", logger: logger)
    }

    public func upsertSchedule(_ schedule: Schedule) async throws {
        try await QueueSQL.upsertSchedule(schedule, database: store, time: .database)
    }

    public func takePermit(key: String, interval: Duration, burst: Int) async throws -> Duration? {
        try await QueueSQL.takePermit(key: key, interval: interval, burst: burst, database: store, time: .database)
    }

    // MARK: Inspection and operator actions

    public func stats() async throws -> QueueStats {
        try await QueueSQL.stats(store, time: .database)
    }

    public func jobs(state: JobState?, queue: String?, limit: Int) async throws -> [JobRecord] {
        try await QueueSQL.jobs(store, state: state, queue: queue, id: nil, limit: limit)
    }

    public func job(_ id: Int64) async throws -> JobRecord? {
        try await QueueSQL.jobs(store, state: nil, queue: nil, id: id, limit: 1).first
    }

    public func retry(_ id: Int64) async throws -> Bool {
        try await QueueSQL.retry(id, database: store, time: .database)
    }

    public func cancel(_ id: Int64) async throws -> Bool {
        try await QueueSQL.finish(id, to: .cancelled, from: JobState.pending, database: store, time: .database)
    }

    public func cancelPending(uniqueKey: String, on sql: any SQLDatabase) async throws -> Int {
        try await QueueSQL.cancelPending(uniqueKey: uniqueKey, on: sql, time: .database)
    }

    public func discard(_ id: Int64) async throws -> Bool {
        try await QueueSQL.finish(id, to: .dead, from: JobState.pending, database: store, time: .database)
    }

    // MARK: Notifications

    public func listen(_ wake: @escaping @Sendable (String) -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        for try await notification in notifications {
                            wake(notification.payload)
                        }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("queue notifications lost; listening again", metadata: ["error": .string(QueueErrorText.describe(error))])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
