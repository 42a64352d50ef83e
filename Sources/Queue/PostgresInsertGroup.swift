import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Single jobs enqueued on their own (not in a caller's transaction), gathered: while one insert
/// is on its way, the jobs enqueued meanwhile wait and go together in the next, one statement and
/// one commit for all of them. At light load a job goes alone, at once, as before; under load each
/// commit carries many (group commit, done by the client).
final class PostgresInsertGroup: Sendable {
    private typealias Waiting = (job: NewJob, continuation: CheckedContinuation<Int64?, any Error>)

    private let client: PostgresClient
    private let logger: Logger
    private let waker: PostgresWaker
    private let state = Mutex<(waiting: [Waiting], inserting: Bool)>(([], false))
    /// The most jobs one statement takes.
    static let limit = 500

    init(client: PostgresClient, logger: Logger, waker: PostgresWaker) {
        self.client = client
        self.logger = logger
        self.waker = waker
    }

    /// The job's id once it is committed; nil when a job with its unique key is pending already.
    func insert(_ job: NewJob) async throws -> Int64? {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append((job, continuation))
                guard !state.inserting else { return false }
                state.inserting = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.waiting.prefix(Self.limit))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.inserting = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let ids = try await insert(batch.map(\.job))
                for (index, waiting) in batch.enumerated() { waiting.continuation.resume(returning: ids[index]) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }

    /// One statement: each job's id drawn first, so that every job learns its own (or nil, when its
    /// unique key was taken), whatever order the rows are inserted in.
    private func insert(_ jobs: [NewJob]) async throws -> [Int64?] {
        let query: PostgresQuery = """
            WITH input AS (
                SELECT nextval(pg_get_serial_sequence('jobs', 'id')) AS id, x.*
                FROM unnest(\(jobs.map(\.options.queue)), \(jobs.map(\.kind)), \(jobs.map { $0.options.tenantID?.uuidString ?? "" }),
                            \(jobs.map(\.args)), \(jobs.map { Int32($0.options.priority) }), \(jobs.map { Int32($0.options.maxAttempts) }),
                            \(jobs.map { $0.options.runAt?.timeIntervalSince1970 ?? 0 }), \(jobs.map { $0.options.uniqueKey ?? "" }))
                     WITH ORDINALITY AS x(q, k, t, a, p, m, r, u, ord)
            ),
            inserted AS (
                INSERT INTO jobs (id, queue, kind, tenant_id, args, priority, state, max_attempts, run_at, fair_at, unique_key)
                OVERRIDING SYSTEM VALUE
                SELECT id, q, k, NULLIF(t, '')::uuid, a::jsonb, p::smallint,
                       CASE WHEN r > extract(epoch FROM now()) THEN 'scheduled' ELSE 'available' END, m,
                       CASE WHEN r = 0 THEN now() ELSE to_timestamp(r) END,
                       GREATEST(CASE WHEN r = 0 THEN now() ELSE to_timestamp(r) END, now()), NULLIF(u, '')
                FROM input ORDER BY ord
                ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'retryable', 'running') DO NOTHING
                RETURNING id, queue, run_at <= now() AS due
            )
            SELECT input.ord, inserted.id, inserted.queue, inserted.due FROM input LEFT JOIN inserted ON inserted.id = input.id
            """
        var ids = [Int64?](repeating: nil, count: jobs.count)
        var due: Set<String> = []
        for try await (ordinal, id, queue, isDue) in try await client.query(query, logger: logger).decode((Int64, Int64?, String?, Bool?).self) {
            ids[Int(ordinal) - 1] = id
            if isDue == true, let queue { due.insert(queue) }
        }
        waker.wake(due)
        return ids
    }
}
