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
        ]),
    ]
}
