import Foundation
import Logging
import SQLKit
import Storage

/// The job queue as the rest of the product uses it: enqueue (inside a caller's transaction, or on
/// its own), batch enqueue, schedules, and what operators inspect and do.
public struct JobQueue: Sendable {
    public let driver: any QueueDriver
    public let database: any Database

    public init(driver: any QueueDriver, database: any Database) {
        self.driver = driver
        self.database = database
    }

    /// The queue of a database: PostgreSQL's driver for a `PostgresStore` (on the database's
    /// clock), SQLite's otherwise (on `clock`).
    public static func on(_ database: any Database, logger: Logger, clock: QueueClock = .system) -> JobQueue {
        if let store = database as? PostgresStore {
            return JobQueue(driver: PostgresQueueDriver(store: store, logger: logger), database: database)
        }
        return JobQueue(driver: SQLiteQueueDriver(database: database, clock: clock, logger: logger), database: database)
    }

    /// Enqueues inside the caller's transaction: the job exists if and only if the transaction commits.
    /// Returns nil when a job with the same unique key is already pending.
    @discardableResult
    public func enqueue<Args: JobArgs>(_ args: Args, options: JobOptions = JobOptions(), on sql: any SQLDatabase) async throws -> Int64? {
        try await driver.insert([try NewJob(args, options: options)], on: sql).first ?? nil
    }

    /// Enqueues on its own (one statement, one round trip on PostgreSQL).
    @discardableResult
    public func enqueue<Args: JobArgs>(_ args: Args, options: JobOptions = JobOptions()) async throws -> Int64? {
        try await driver.insertBatch([try NewJob(args, options: options)], spacing: .zero).first
    }

    /// Inserts many jobs in one statement (a campaign). Each tenant's jobs are spread `spacing`
    /// apart in the fair order, so that other tenants' jobs enqueued meanwhile are not stuck behind
    /// the whole batch. Returns how many were inserted (unique keys may drop some).
    @discardableResult
    public func enqueueBatch(_ jobs: [NewJob], spacing: Duration = .milliseconds(2)) async throws -> Int {
        var inserted = 0
        for start in stride(from: 0, to: jobs.count, by: 10_000) {
            inserted += try await driver.insertBatch(Array(jobs[start..<min(start + 10_000, jobs.count)]), spacing: spacing).count
        }
        return inserted
    }

    /// Creates or updates a recurring schedule (the next tick is kept unless the cron or zone changed).
    public func schedule(_ schedule: Schedule) async throws {
        try await driver.upsertSchedule(schedule)
    }

    public func stats() async throws -> QueueStats { try await driver.stats() }
    public func jobs(state: JobState? = nil, queue: String? = nil, limit: Int = 100) async throws -> [JobRecord] {
        try await driver.jobs(state: state, queue: queue, limit: limit)
    }
    public func job(_ id: Int64) async throws -> JobRecord? { try await driver.job(id) }
    public func retry(_ id: Int64) async throws -> Bool {
        let done = try await driver.retry(id)
        if done, let queue = try await driver.job(id)?.queue { (driver as? SQLiteQueueDriver)?.wake(queue) }
        return done
    }
    public func cancel(_ id: Int64) async throws -> Bool { try await driver.cancel(id) }
    public func discard(_ id: Int64) async throws -> Bool { try await driver.discard(id) }
    /// Cancels the pending job with this unique key in the caller's transaction; how many it cancelled.
    @discardableResult
    public func cancelPending(uniqueKey: String, on sql: any SQLDatabase) async throws -> Int {
        try await driver.cancelPending(uniqueKey: uniqueKey, on: sql)
    }
}
