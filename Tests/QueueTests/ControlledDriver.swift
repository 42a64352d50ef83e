import Foundation
import Queue
import SQLKit
import Storage
import Synchronization

/// A driver that passes everything to the real one, except what a test switches off: claims
/// (nothing new is claimed), batch completions (they fail, as with a database gone for a while),
/// lease renewals (they fail likewise). Counts renewals, so that a test can wait for one that
/// started after a given moment.
final class ControlledDriver: QueueDriver {
    struct Unavailable: Error {}

    let inner: any QueueDriver
    var engine: Engine { inner.engine }
    private let switches = Mutex((claims: true, completions: true, renewals: true))
    private let renewalCounts = Mutex((started: 0, finished: 0))

    init(_ inner: any QueueDriver) {
        self.inner = inner
    }

    func allow(claims: Bool? = nil, completions: Bool? = nil, renewals: Bool? = nil) {
        switches.withLock { state in
            if let claims { state.claims = claims }
            if let completions { state.completions = completions }
            if let renewals { state.renewals = renewals }
        }
    }

    var renewalsStarted: Int { renewalCounts.withLock { $0.started } }
    var renewalsFinished: Int { renewalCounts.withLock { $0.finished } }

    func insert(_ jobs: [NewJob], on sql: any SQLDatabase) async throws -> [Int64?] { try await inner.insert(jobs, on: sql) }
    func insertBatch(_ jobs: [NewJob], spacing: Duration) async throws -> [Int64] { try await inner.insertBatch(jobs, spacing: spacing) }

    func claim(queue: String, limit: Int, worker: String, lease: Duration, after: ClaimPosition?, completing: [Int64], keep: Bool) async throws -> [ClaimedJob] {
        let allowed = switches.withLock { $0 }
        if !completing.isEmpty && !allowed.completions { throw Unavailable() }
        guard allowed.claims else {
            _ = try await inner.complete(completing, worker: worker, keep: keep)
            return []
        }
        return try await inner.claim(queue: queue, limit: limit, worker: worker, lease: lease, after: after, completing: completing, keep: keep)
    }

    func complete(_ ids: [Int64], worker: String, keep: Bool) async throws -> Int {
        guard switches.withLock({ $0.completions }) else { throw Unavailable() }
        return try await inner.complete(ids, worker: worker, keep: keep)
    }

    func complete(attempts: [JobAttempt], worker: String, keep: Bool, on sql: any SQLDatabase) async throws -> Set<Int64> {
        try await inner.complete(attempts: attempts, worker: worker, keep: keep, on: sql)
    }

    func fail(_ id: Int64, worker: String, error: String, decision: FailureDecision) async throws {
        try await inner.fail(id, worker: worker, error: error, decision: decision)
    }

    func release(_ ids: [Int64], worker: String) async throws { try await inner.release(ids, worker: worker) }

    func renewLeases(_ ids: [Int64], worker: String, lease: Duration) async throws -> LeaseRenewal {
        renewalCounts.withLock { $0.started += 1 }
        defer { renewalCounts.withLock { $0.finished += 1 } }
        guard switches.withLock({ $0.renewals }) else { throw Unavailable() }
        return try await inner.renewLeases(ids, worker: worker, lease: lease)
    }

    func rescueExpired(limit: Int) async throws -> Int { try await inner.rescueExpired(limit: limit) }
    func prune(completedBefore: Duration, deadBefore: Duration, limit: Int) async throws -> Int {
        try await inner.prune(completedBefore: completedBefore, deadBefore: deadBefore, limit: limit)
    }
    func fireSchedules(limit: Int) async throws -> Int { try await inner.fireSchedules(limit: limit) }
    func upsertSchedule(_ schedule: Schedule) async throws { try await inner.upsertSchedule(schedule) }
    func takePermit(key: String, interval: Duration, burst: Int) async throws -> Duration? {
        try await inner.takePermit(key: key, interval: interval, burst: burst)
    }
    func stats() async throws -> QueueStats { try await inner.stats() }
    func jobs(state: JobState?, queue: String?, limit: Int) async throws -> [JobRecord] { try await inner.jobs(state: state, queue: queue, limit: limit) }
    func job(_ id: Int64) async throws -> JobRecord? { try await inner.job(id) }
    func retry(_ id: Int64) async throws -> Bool { try await inner.retry(id) }
    func cancel(_ id: Int64) async throws -> Bool { try await inner.cancel(id) }
    func discard(_ id: Int64) async throws -> Bool { try await inner.discard(id) }
    func cancelPending(uniqueKey: String, on sql: any SQLDatabase) async throws -> Int { try await inner.cancelPending(uniqueKey: uniqueKey, on: sql) }
    func listen(_ wake: @escaping @Sendable (String) -> Void) async throws { try await inner.listen(wake) }
}
