import Foundation
import SQLKit
import Storage

/// What happens to a job whose attempt did not succeed. Delays count from the driver's clock (the
/// database's on PostgreSQL), never from the worker's.
public enum FailureDecision: Sendable, Equatable {
    /// Run again after this delay (`retryable`).
    case retry(after: Duration)
    /// Run again after this delay without counting the attempt (`scheduled`).
    case snooze(for: Duration)
    /// Give up: `dead`, kept for inspection.
    case dead
    /// Nothing more to do: `cancelled`.
    case cancel
}

/// Counts of jobs per queue and state, and how long the oldest available job has waited.
public struct QueueStats: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public let queue: String
        public let state: JobState
        public let count: Int
    }

    public let rows: [Row]
    /// Seconds the oldest due job of each queue has been waiting.
    public let oldestAvailableAge: [String: Double]
}

/// The SQL of the queue on one engine, as River splits it: PostgreSQL for production (row locks,
/// `SKIP LOCKED`, LISTEN/NOTIFY, database time), SQLite for the embedded single process.
/// Both pass the same suite (Tests/QueueTests).
public protocol QueueDriver: Sendable {
    var engine: Engine { get }

    /// Inserts jobs inside the caller's transaction; nil for a job dropped by its unique key.
    func insert(_ jobs: [NewJob], on sql: any SQLDatabase) async throws -> [Int64?]
    /// Inserts jobs in one statement and its own transaction (a single job in one round trip, or a
    /// campaign); returns the ids of those inserted (unique keys may drop some).
    func insertBatch(_ jobs: [NewJob], spacing: Duration) async throws -> [Int64]

    /// Claims up to `limit` due jobs of a queue for `worker`, highest priority and fairest first
    /// (only those after `after`, when given); in the same statement, records `completing` (jobs the
    /// worker finished) as done.
    func claim(queue: String, limit: Int, worker: String, lease: Duration, after: ClaimPosition?, completing: [Int64], keep: Bool) async throws -> [ClaimedJob]
    /// Marks jobs done (deleting them unless `keep`); only those the worker still holds. Returns how many.
    func complete(_ ids: [Int64], worker: String, keep: Bool) async throws -> Int
    /// Completes attempts of jobs inside the caller's transaction (a handler's writes and the
    /// completions commit together); returns the ids completed. An id missing from the answer is a
    /// job whose attempt the worker no longer holds (its lease lapsed, and the job went back to the
    /// queue or to another worker, this one included).
    func complete(attempts: [JobAttempt], worker: String, keep: Bool, on sql: any SQLDatabase) async throws -> Set<Int64>
    /// Lets the caller's transaction commit without waiting for its flush to disk (PostgreSQL's
    /// `synchronous_commit = off`, for this transaction only); a crash may then lose it, never corrupt it.
    func commitAsynchronously(on sql: any SQLDatabase) async throws
    /// Records a failed attempt and what follows.
    func fail(_ id: Int64, worker: String, error: String, decision: FailureDecision) async throws
    /// Gives jobs back to the queue without counting their attempt (shutdown).
    func release(_ ids: [Int64], worker: String) async throws
    /// Extends the leases of the jobs `ids` the worker is running, where it still holds them, and
    /// says which it renewed and which were busy. An id in neither set is a lost lease: the job was
    /// rescued (and may be running elsewhere), and its handler must stop. A job the worker no
    /// longer runs (finished, its completion not yet recorded) is not renewed, so that a completion
    /// that is never recorded lets the lease lapse and the job come back.
    func renewLeases(_ ids: [Int64], worker: String, lease: Duration) async throws -> LeaseRenewal
    /// Returns jobs whose lease lapsed (their worker died) to the queue, or to dead when out of attempts.
    func rescueExpired(limit: Int) async throws -> Int
    /// Deletes finished jobs older than their retention.
    func prune(completedBefore: Duration, deadBefore: Duration, limit: Int) async throws -> Int

    /// Enqueues the jobs of recurring schedules that are due, once per tick, and moves them on.
    func fireSchedules(limit: Int) async throws -> Int
    func upsertSchedule(_ schedule: Schedule) async throws

    /// Takes one permit of a shared rate limit; nil when allowed, otherwise how long to wait.
    func takePermit(key: String, interval: Duration, burst: Int) async throws -> Duration?

    func stats() async throws -> QueueStats
    func jobs(state: JobState?, queue: String?, limit: Int) async throws -> [JobRecord]
    func job(_ id: Int64) async throws -> JobRecord?
    /// Operator actions; false when the job is not in a state that allows them.
    func retry(_ id: Int64) async throws -> Bool
    func cancel(_ id: Int64) async throws -> Bool
    func discard(_ id: Int64) async throws -> Bool
    /// Cancels the pending job holding `uniqueKey`, inside the caller's transaction (an
    /// appointment moved: its reminder goes with the change, or neither does). Returns how many.
    func cancelPending(uniqueKey: String, on sql: any SQLDatabase) async throws -> Int

    /// Calls `wake(queue)` when jobs become available, until cancelled. Returns at once where the
    /// engine has no notifications (SQLite polls).
    func listen(_ wake: @escaping @Sendable (String) -> Void) async throws
}

/// What a renewal of leases found.
public struct LeaseRenewal: Sendable, Equatable {
    /// Held by the worker, and extended.
    public var renewed: Set<Int64>
    /// Held by the worker but locked at that moment by another transaction — the worker's own
    /// completion of the job, as a rule — so left as it was: neither extended nor lost. Waiting
    /// for those locks could deadlock with that transaction, which locks the rows in another order.
    public var busy: Set<Int64>

    public init(renewed: Set<Int64>, busy: Set<Int64> = []) {
        self.renewed = renewed
        self.busy = busy
    }
}

/// One attempt of one job, as a worker holds it.
public struct JobAttempt: Sendable, Hashable {
    public let id: Int64
    public let attempt: Int
}

extension QueueDriver {
    /// SQLite in WAL mode already commits without a flush of its own: nothing to change.
    public func commitAsynchronously(on sql: any SQLDatabase) async throws {}

    /// Completes one attempt inside the caller's transaction; false when the worker no longer holds it.
    public func complete(_ id: Int64, attempt: Int, worker: String, keep: Bool, on sql: any SQLDatabase) async throws -> Bool {
        try await complete(attempts: [JobAttempt(id: id, attempt: attempt)], worker: worker, keep: keep, on: sql).contains(id)
    }

    /// Claims without recording completions.
    public func claim(queue: String, limit: Int, worker: String, lease: Duration) async throws -> [ClaimedJob] {
        try await claim(queue: queue, limit: limit, worker: worker, lease: lease, after: nil, completing: [], keep: false)
    }
}
