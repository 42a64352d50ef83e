import Foundation
import Logging
import SQLKit
import Storage
import Synchronization

/// Runs one kind of job. Handlers must be idempotent: a job runs at least once, and again if its
/// worker dies or loses its lease before recording success — and a handler that lost its lease is
/// cancelled, but may overlap a moment with the next run (docs/queue.md says what that asks of a
/// handler: database effects inside `context.complete`, idempotency keys towards providers).
public protocol JobHandler: Sendable {
    associatedtype Args: JobArgs
    /// How long one attempt may take before it is cancelled and counted as failed.
    var timeout: Duration { get }
    func run(_ args: Args, context: JobContext) async throws
}

extension JobHandler {
    public var timeout: Duration { .seconds(60) }
}

/// What a running job knows and may do besides its arguments. A class: handlers that work many
/// jobs together pass their contexts around in arrays, and a reference is cheaper to copy than
/// the job, the logger and the queue it holds.
public final class JobContext: Sendable {
    public let job: ClaimedJob
    let baseLogger: Logger
    let queue: JobQueue
    let worker: String
    let keepCompleted: Bool
    let completedInTransaction: CompletionFlag

    init(job: ClaimedJob, baseLogger: Logger, queue: JobQueue, worker: String, keepCompleted: Bool, completedInTransaction: CompletionFlag) {
        self.job = job
        self.baseLogger = baseLogger
        self.queue = queue
        self.worker = worker
        self.keepCompleted = keepCompleted
        self.completedInTransaction = completedInTransaction
    }

    /// The worker's logger with the job's id, kind and tenant.
    public var logger: Logger { Self.logger(baseLogger, for: job) }

    static func logger(_ base: Logger, for job: ClaimedJob) -> Logger {
        var logger = base
        logger[metadataKey: "job"] = .stringConvertible(job.id)
        logger[metadataKey: "kind"] = .string(job.kind)
        if let tenant = job.tenantID { logger[metadataKey: "tenant"] = .stringConvertible(tenant) }
        return logger
    }

    /// Runs `work` and records the job's completion in one transaction: the job's effects in the
    /// database commit once, together with its completion, or not at all (if the worker lost the
    /// job's lease meanwhile, `work` is rolled back, `LeaseLost` is thrown and the job runs again).
    ///
    /// The transaction runs in the job's tenant scope (row-level security applies) unless `scope`
    /// says otherwise. A job without a tenant must pass `scope: .system` explicitly: without one it
    /// throws `MissingJobScope`, never silently running across tenants.
    public func complete<T: Sendable>(
        scope: AccessScope? = nil,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let scope = try scope ?? tenantScope()
        let (id, attempt, worker, keep, driver) = (job.id, job.attempt, self.worker, keepCompleted, queue.driver)
        let result = try await queue.database.transaction(scope) { sql in
            let value = try await work(sql)
            guard try await driver.complete(id, attempt: attempt, worker: worker, keep: keep, on: sql) else { throw LeaseLost(jobID: id) }
            return value
        }
        completedInTransaction.set()
        return result
    }

    /// Runs `work` and records the completion of every job of `contexts` in one transaction (one
    /// commit for many jobs a handler worked together, such as messages sent in one provider call);
    /// returns the ids completed. All must be jobs of this process's queue, and of `scope`'s tenant
    /// (row-level security applies). Unlike `complete`, `work` commits even where a job's lease was
    /// lost meanwhile: it must record facts that hold whoever runs the job next (what a provider
    /// answered). A job missing from the answer was not completed; its handler throws `LeaseLost`.
    /// A transaction that PostgreSQL ends for colliding with another (a deadlock) runs again, up to
    /// three times, so `work` must write the same whenever it runs.
    ///
    /// `durable: false` lets the transaction commit without waiting for the disk, as the queue's
    /// own completions do: a database crash may lose it (the jobs then run again), so use it only
    /// where a job that runs again finds what it needs to do the right thing.
    public static func complete(together contexts: [JobContext], scope: AccessScope, durable: Bool = true,
                                _ work: @Sendable (any SQLDatabase) async throws -> Void) async throws -> Set<Int64> {
        guard let first = contexts.first else { return [] }
        let attempts = contexts.map { JobAttempt(id: $0.job.id, attempt: $0.job.attempt) }
        let (worker, keep, driver) = (first.worker, first.keepCompleted, first.queue.driver)
        var collisions = 0
        let completed: Set<Int64>
        while true {
            do {
                completed = try await first.queue.database.transaction(scope) { sql in
                    if !durable { try await driver.commitAsynchronously(on: sql) }
                    try await work(sql)
                    return try await driver.complete(attempts: attempts, worker: worker, keep: keep, on: sql)
                }
                break
            } catch where TransactionConflict.isTransient(error) && collisions < 3 {
                // A deadlock or serialization failure undid the whole transaction: what it records
                // would otherwise be lost with it, so it runs again.
                collisions += 1
            }
        }
        for context in contexts where completed.contains(context.job.id) { context.completedInTransaction.set() }
        return completed
    }

    /// The job's tenant's scope.
    func tenantScope() throws -> AccessScope {
        guard let tenant = job.tenantID else { throw MissingJobScope(jobID: job.id, kind: job.kind) }
        return .tenant(tenant)
    }

    /// Takes a permit of a rate limit shared by every worker process (e.g. 20 SMS a second for one
    /// gateway account); when none is free, the job is snoozed until one will be, without using up
    /// an attempt.
    public func rateLimit(_ key: String, perSecond: Int, burst: Int = 1) async throws {
        precondition(perSecond > 0, "a rate limit allows at least one a second")
        if let wait = try await queue.driver.takePermit(key: key, interval: .microseconds(1_000_000 / perSecond), burst: burst) {
            throw JobOutcome.snooze(wait)
        }
    }

    /// Enqueues a follow-up job.
    @discardableResult
    public func enqueue<Args: JobArgs>(_ args: Args, options: JobOptions = JobOptions()) async throws -> Int64? {
        try await queue.enqueue(args, options: options)
    }

    /// Enqueues a follow-up job in a transaction of the handler's (inside `complete`): it exists
    /// exactly when the job's own effects commit.
    @discardableResult
    public func enqueue<Args: JobArgs>(_ args: Args, options: JobOptions = JobOptions(), on sql: any SQLDatabase) async throws -> Int64? {
        try await queue.enqueue(args, options: options, on: sql)
    }
}

/// The worker no longer holds the job: its lease lapsed and it went back to the queue.
public struct LeaseLost: Error, CustomStringConvertible {
    public let jobID: Int64

    public init(jobID: Int64) {
        self.jobID = jobID
    }

    public var description: String { "lost the lease of job \(jobID)" }
}

/// `JobContext.complete` without a scope, for a job that has no tenant.
public struct MissingJobScope: Error, CustomStringConvertible {
    public let jobID: Int64
    public let kind: String
    public var description: String {
        "job \(jobID) (\(kind)) has no tenant: its handler must call complete(scope: .system) to write across tenants"
    }
}

/// The handlers a worker process can run, by job kind.
public struct HandlerRegistry: Sendable {
    typealias Runner = @Sendable (String, JobContext) async throws -> Void
    private(set) var runners: [String: (runner: Runner, timeout: Duration)] = [:]

    public init() {}

    public mutating func register<Handler: JobHandler>(_ handler: Handler) {
        let kind = Handler.Args.kind
        precondition(runners[kind] == nil, "two handlers for \(kind)")
        runners[kind] = ({ json, context in
            let args: Handler.Args
            do {
                args = try JobCoding.sharedDecoder.decode(Handler.Args.self, from: Data(json.utf8))
            } catch {
                throw JobOutcome.permanent("arguments do not decode as \(Handler.Args.self): \(error)")
            }
            try await handler.run(args, context: context)
        }, handler.timeout)
    }

    public var kinds: [String] { runners.keys.sorted() }
}

/// Set once a handler completed its job inside its own transaction.
final class CompletionFlag: Sendable {
    private let done = Mutex(false)

    func set() { done.withLock { $0 = true } }
    var isSet: Bool { done.withLock { $0 } }
}
