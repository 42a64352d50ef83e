import Contracts

/// The queue's schema. The jobs table is the system's own (workers serve every tenant), so it
/// carries `tenant_id` for fairness and inspection but no row-level-security policy; no route
/// shows it to tenants.
public enum QueueMigrations {
    public static let owner = "queue"

    static let pendingStates = "('available', 'scheduled', 'retryable')"
    static let uniqueStates = "('available', 'scheduled', 'retryable', 'running')"

    public static let all: [Migration] = [
        Migration(owner: owner, version: 1, name: "jobs, schedules and rate limits", statements: [
            MigrationStatement(
                sqlite: """
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        queue TEXT NOT NULL, kind TEXT NOT NULL, tenant_id TEXT, args TEXT NOT NULL,
                        priority INTEGER NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0,
                        max_attempts INTEGER NOT NULL, run_at REAL NOT NULL, fair_at REAL NOT NULL,
                        lease_owner TEXT, lease_expires_at REAL, unique_key TEXT, errors TEXT NOT NULL DEFAULT '[]',
                        created_at REAL NOT NULL, attempted_at REAL, finalized_at REAL
                    )
                    """,
                postgres: """
                    CREATE TABLE jobs (
                        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        queue TEXT NOT NULL, kind TEXT NOT NULL, tenant_id uuid, args jsonb NOT NULL,
                        priority SMALLINT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0,
                        max_attempts INTEGER NOT NULL, run_at timestamptz NOT NULL, fair_at timestamptz NOT NULL,
                        lease_owner TEXT, lease_expires_at timestamptz, unique_key TEXT, errors jsonb NOT NULL DEFAULT '[]',
                        created_at timestamptz NOT NULL DEFAULT now(), attempted_at timestamptz, finalized_at timestamptz
                    ) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
                            autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0)
                    """
            ),
            // The claim reads this index in order; only waiting jobs are in it, so it stays small.
            .both("CREATE INDEX jobs_pending_idx ON jobs (queue, priority, fair_at, id) WHERE state IN \(pendingStates)"),
            .both("CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'running'"),
            .both("CREATE UNIQUE INDEX jobs_unique_idx ON jobs (unique_key) WHERE unique_key IS NOT NULL AND state IN \(uniqueStates)"),
            .both("CREATE INDEX jobs_final_idx ON jobs (state, finalized_at) WHERE state IN ('completed', 'dead', 'cancelled')"),
            .portable("""
                CREATE TABLE job_schedules (
                    name TEXT PRIMARY KEY,
                    cron TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    args {json} NOT NULL,
                    priority BIGINT NOT NULL,
                    tenant_id {uuid},
                    next_run_at {timestamp} NOT NULL,
                    last_run_at {timestamp},
                    enabled {bool} NOT NULL
                )
                """),
            .both("CREATE INDEX job_schedules_due_idx ON job_schedules (next_run_at)"),
            // Generic cell rate algorithm: one "theoretical arrival time" per key, in microseconds.
            .both("CREATE TABLE rate_limits (key TEXT PRIMARY KEY, tat BIGINT NOT NULL)"),
            // The claim, pinned to the pending index's order. Right after a burst of enqueues the
            // table's statistics still describe an empty queue, and the planner would otherwise
            // read every waiting job and sort them (milliseconds per claim) instead of walking the
            // index and stopping after a batch. The claimed ids then update their rows through the
            // primary key (`= ANY(ARRAY(…))`), never through a join over the whole table.
            .postgresOnly("""
                CREATE FUNCTION crm_claim_jobs(p_queue text, p_limit integer, p_worker text, p_lease_ms bigint,
                                               p_done bigint[], p_keep boolean,
                                               p_after_priority smallint, p_after_fair_at timestamptz, p_after_id bigint)
                RETURNS TABLE (id bigint, kind text, tenant_id uuid, args text, attempt integer, max_attempts integer,
                               created_at timestamptz, run_at timestamptz, priority smallint, fair_at timestamptz)
                LANGUAGE plpgsql VOLATILE
                AS $$
                BEGIN
                    -- Local to this statement's transaction; PL/pgSQL plans the query once per session with them.
                    -- A claim commits asynchronously, as a completion does (see crm_complete_jobs).
                    PERFORM set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
                            set_config('enable_sort', 'off', true), set_config('synchronous_commit', 'off', true);
                    -- The jobs this worker finished since its last claim, recorded in the same transaction.
                    IF cardinality(p_done) > 0 THEN
                        IF p_keep THEN
                            UPDATE jobs SET state = 'completed', finalized_at = now(), lease_owner = NULL, lease_expires_at = NULL
                            WHERE jobs.id = ANY(p_done) AND jobs.lease_owner = p_worker AND jobs.state = 'running';
                        ELSE
                            DELETE FROM jobs WHERE jobs.id = ANY(p_done) AND jobs.lease_owner = p_worker AND jobs.state = 'running';
                        END IF;
                    END IF;
                    -- With a position, the scan starts right after it: the entries before it are mostly the
                    -- worker's own recent claims, dead until vacuum. Without one, from the start.
                    IF p_after_id IS NULL THEN
                        RETURN QUERY
                        UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), lease_owner = p_worker,
                            lease_expires_at = now() + p_lease_ms * interval '1 millisecond'
                        WHERE j.id = ANY(ARRAY(
                            SELECT p.id FROM jobs p
                            WHERE p.state IN ('available', 'scheduled', 'retryable') AND p.queue = p_queue AND p.run_at <= now()
                            ORDER BY p.priority, p.fair_at, p.id
                            LIMIT p_limit
                            FOR UPDATE SKIP LOCKED
                        ))
                        RETURNING j.id, j.kind, j.tenant_id, j.args::text, j.attempt, j.max_attempts, j.created_at, j.run_at,
                                  j.priority, j.fair_at;
                    ELSE
                        RETURN QUERY
                        UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, attempted_at = now(), lease_owner = p_worker,
                            lease_expires_at = now() + p_lease_ms * interval '1 millisecond'
                        WHERE j.id = ANY(ARRAY(
                            SELECT p.id FROM jobs p
                            WHERE p.state IN ('available', 'scheduled', 'retryable') AND p.queue = p_queue AND p.run_at <= now()
                              AND (p.priority, p.fair_at, p.id) > (p_after_priority, p_after_fair_at, p_after_id)
                            ORDER BY p.priority, p.fair_at, p.id
                            LIMIT p_limit
                            FOR UPDATE SKIP LOCKED
                        ))
                        RETURNING j.id, j.kind, j.tenant_id, j.args::text, j.attempt, j.max_attempts, j.created_at, j.run_at,
                                  j.priority, j.fair_at;
                    END IF;
                END
                $$
                """),
            // Completion, like a claim, commits without waiting for its WAL to reach the disk. If the
            // database crashes in the fraction of a second before it does, the completion is lost and
            // the job runs again after its lease — what at-least-once promises anyway — while every
            // worker is spared a disk flush per batch. Any later synchronous commit (a handler's
            // `context.complete`, a failure, an enqueue) flushes the WAL before it, claims included,
            // so a handler's effects never survive without its claim. Failures and enqueues stay synchronous.
            .postgresOnly("""
                CREATE FUNCTION crm_complete_jobs(p_ids bigint[], p_worker text, p_keep boolean) RETURNS bigint
                LANGUAGE plpgsql VOLATILE
                AS $$
                DECLARE
                    done bigint;
                BEGIN
                    -- Through the primary key, whatever the statistics say (see crm_claim_jobs).
                    PERFORM set_config('synchronous_commit', 'off', true), set_config('enable_seqscan', 'off', true),
                            set_config('enable_bitmapscan', 'off', true);
                    IF p_keep THEN
                        UPDATE jobs SET state = 'completed', finalized_at = now(), lease_owner = NULL, lease_expires_at = NULL
                        WHERE id = ANY(p_ids) AND lease_owner = p_worker AND state = 'running';
                    ELSE
                        DELETE FROM jobs WHERE id = ANY(p_ids) AND lease_owner = p_worker AND state = 'running';
                    END IF;
                    GET DIAGNOSTICS done = ROW_COUNT;
                    RETURN done;
                END
                $$
                """),
        ]),
        Migration(owner: owner, version: 2, name: "why a schedule was disabled", statements: [
            // Set when the scheduler disables a schedule whose row it cannot read (see QueueSQL.fireSchedules).
            .both("ALTER TABLE job_schedules ADD COLUMN disabled_reason TEXT"),
        ]),
    ]
}
