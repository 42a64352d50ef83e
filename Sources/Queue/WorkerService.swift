import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A worker process's engine: per queue a producer that claims jobs in batches up to its
/// concurrency, runs them, and records outcomes; plus the lease renewer, the notification listener,
/// a poll ticker and the maintenance loop (rescuer, scheduler, pruner).
///
/// On graceful shutdown (SIGTERM) it stops claiming, lets running jobs finish within the grace
/// period, then cancels the rest and gives their jobs back to the queue without counting the attempt.
public final class WorkerService: Service {
    let queue: JobQueue
    let handlers: HandlerRegistry
    let configuration: WorkerConfiguration
    let logger: Logger
    let metrics: WorkerMetrics?
    let backoff: Backoff

    private let stopping = Mutex(false)
    private let signals: [String: Signal]
    /// Per queue: the next claim starts from the front of the order (new or newly due jobs).
    private let rescans: [String: Flag]
    private let running = Mutex<[Int64: RunningJob]>([:])
    private let completer: Completer

    public init(queue: JobQueue, handlers: HandlerRegistry, configuration: WorkerConfiguration, logger: Logger,
                metrics: WorkerMetrics? = nil, backoff: Backoff = Backoff()) {
        self.queue = queue
        self.handlers = handlers
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker"] = .string(configuration.workerID)
        self.logger = logger
        self.metrics = metrics
        self.backoff = backoff
        signals = Dictionary(uniqueKeysWithValues: configuration.queues.keys.map { ($0, Signal()) })
        rescans = Dictionary(uniqueKeysWithValues: configuration.queues.keys.map { ($0, Flag()) })
        completer = Completer(driver: queue.driver, worker: configuration.workerID, keep: configuration.completedRetention > .zero) { [logger] error in
            logger.error("recording completed jobs failed; retrying", metadata: ["error": .string(QueueErrorText.describe(error))])
        }
    }

    var isStopping: Bool { stopping.withLock { $0 } }

    /// Jobs this process is running now.
    public var runningCount: Int { running.withLock { $0.count } }

    public func run() async throws {
        logger.info("worker started", metadata: [
            "queues": .string(configuration.queues.map { "\($0.key):\($0.value)" }.sorted().joined(separator: ",")),
            "kinds": .string(handlers.kinds.joined(separator: ",")),
        ])
        try await withGracefulShutdownHandler {
            let background = Task { await self.runBackground() }
            await withTaskGroup(of: Void.self) { producers in
                for (name, concurrency) in configuration.queues {
                    producers.addTask { await self.produce(queue: name, concurrency: concurrency) }
                }
            }
            background.cancel()
            await background.value
            if !(await completer.drain(within: configuration.lease)) {
                logger.error("completions not recorded at shutdown; those jobs run again after their leases lapse")
            }
        } onGracefulShutdown: {
            self.stop()
        }
        logger.info("worker stopped")
    }

    /// Stops claiming; running jobs get the grace period.
    public func stop() {
        stopping.withLock { $0 = true }
        wakeAll()
    }

    /// Wakes every producer for a claim from the front of the order (the poll, shutdown).
    private func wakeAll() {
        for flag in rescans.values { flag.set() }
        for signal in signals.values { Task { await signal.fire() } }
    }

    // MARK: Producers

    private func produce(queue name: String, concurrency: Int) async {
        let signal = signals[name]!
        let count = Counter()
        // An idle worker claims as soon as a job is due; a busy one waits until half its slots are
        // free, so that each claim (a statement and a commit) brings a batch rather than one job.
        let threshold = max(1, min(configuration.claimBatch, concurrency) / 2)
        // Where the last claim stopped. Claims woken by finished jobs carry on from there; claims
        // woken by new jobs (a notification) or by the poll start from the front, so that a new
        // urgent job or a job that fell due is never passed over.
        var position: ClaimPosition?
        while !isStopping {
            let busy = count.value
            let free = concurrency - busy
            var full = false
            if free > 0 && (busy == 0 || free >= threshold) {
                let limit = min(free, configuration.claimBatch)
                if rescans[name]?.take() == true { position = nil }
                let finished = completer.takeAll()
                // The leases of the jobs claimed now run from no earlier than this, by the database's reckoning.
                let claimed = ContinuousClock.now
                do {
                    var jobs = try await queue.driver.claim(queue: name, limit: limit, worker: configuration.workerID, lease: configuration.lease,
                                                            after: position, completing: finished, keep: configuration.completedRetention > .zero)
                    if jobs.count < limit && position != nil {
                        // Fewer after the position than asked: look from the front for the rest.
                        jobs += try await queue.driver.claim(queue: name, limit: limit - jobs.count, worker: configuration.workerID,
                                                             lease: configuration.lease, after: nil, completing: [], keep: false)
                    }
                    position = jobs.compactMap(\.position).max() ?? position
                    if jobs.isEmpty { position = nil }
                    full = jobs.count == limit
                    count.add(jobs.count)
                    for job in jobs {
                        start(job, leasedAt: claimed, count: count, concurrency: concurrency, threshold: threshold, signal: signal)
                    }
                } catch {
                    for id in finished { completer.add(id) }
                    position = nil
                    logger.error("claiming jobs failed", metadata: ["queue": .string(name), "error": .string(QueueErrorText.describe(error))])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            if full && count.value < concurrency { continue }
            await signal.wait()
        }
        await drain(queue: name, signal: signal, count: count)
    }

    /// Runs a claimed job in a task of its own; wakes the producer when enough slots are free again.
    private func start(_ job: ClaimedJob, leasedAt: ContinuousClock.Instant, count: Counter, concurrency: Int, threshold: Int, signal: Signal) {
        let timeout = handlers.runners[job.kind]?.timeout ?? .seconds(60)
        let slot = RunningJob(deadline: ContinuousClock.now + timeout, timeout: timeout, leaseUntil: leasedAt + configuration.lease)
        // This worker claimed the job again after its lease lapsed: the earlier attempt lost it.
        let earlier = running.withLock { running in defer { running[job.id] = slot }; return running[job.id] }
        earlier?.loseLease()
        completer.forget(job.id)
        slot.task = Task {
            await self.execute(job, slot: slot)
            self.running.withLock { running in
                if running[job.id] === slot { running.removeValue(forKey: job.id) }
            }
            let busy = count.add(-1)
            if busy == 0 || concurrency - busy == threshold || self.isStopping { await signal.fire() }
        }
    }

    /// After the stop: wait for this queue's jobs up to the grace period, then cancel and release them.
    private func drain(queue name: String, signal: Signal, count: Counter) async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while count.value > 0 && ContinuousClock.now < deadline {
            await signal.wait()
        }
        guard count.value > 0 else { return }
        let left = running.withLock { $0 }.values.compactMap(\.task)
        logger.warning("grace period over; cancelling running jobs", metadata: ["queue": .string(name), "jobs": .stringConvertible(left.count)])
        for task in left { task.cancel() }
        for task in left { await task.value }
    }

    // MARK: Running one job

    struct Timeout: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "timed out after \(limit)" }
    }

    func execute(_ job: ClaimedJob, slot: RunningJob) async {
        let started = ContinuousClock.now
        if let metrics {
            metrics.pickedUp(queue: job.queue, lag: .milliseconds(Int64(max(0, Date().timeIntervalSince(max(job.runAt, job.createdAt))) * 1000)))
        }
        let completed = CompletionFlag()
        var failure: (any Error)?
        if let entry = handlers.runners[job.kind] {
            let context = JobContext(job: job, baseLogger: logger, queue: queue, worker: configuration.workerID,
                                     keepCompleted: configuration.completedRetention > .zero, completedInTransaction: completed)
            do {
                try await entry.runner(job.args, context)
            } catch {
                failure = error
            }
        } else {
            failure = JobOutcome.retry(after: backoff.delay(afterAttempt: job.attempt), reason: "no handler for \(job.kind) in this worker")
        }
        let leaseLost = slot.finish()
        let outcome: String
        if completed.isSet {
            // Its effects and its completion committed together; nothing after that changes the job.
            outcome = "completed"
        } else if leaseLost || failure is LeaseLost {
            // The job was rescued and may run elsewhere: record nothing (this worker holds no lease).
            JobContext.logger(logger, for: job).warning("lost the job's lease; its handler was stopped and the job runs again",
                                                        metadata: ["error": .string(failure.map { String(describing: $0) } ?? "none")])
            outcome = "lease_lost"
        } else if let failure {
            outcome = await settle(job, failure, slot: slot)
        } else if slot.timedOut {
            outcome = await settle(job, .retry(after: backoff.delay(afterAttempt: job.attempt), reason: Timeout(limit: slot.timeout).description))
        } else {
            completer.add(job.id)
            outcome = "completed"
        }
        metrics?.finished(queue: job.queue, kind: job.kind, outcome: outcome, duration: ContinuousClock.now - started)
    }

    /// Records a handler's error; returns the outcome's name for metrics.
    private func settle(_ job: ClaimedJob, _ error: any Error, slot: RunningJob) async -> String {
        if let outcome = error as? JobOutcome {
            return await settle(job, outcome)
        }
        if slot.timedOut {
            return await settle(job, .retry(after: backoff.delay(afterAttempt: job.attempt), reason: Timeout(limit: slot.timeout).description))
        }
        if isStopping && (error is CancellationError || Task.isCancelled) {
            await record { try await self.queue.driver.release([job.id], worker: self.configuration.workerID) }
            return "released"
        }
        return await settle(job, .retry(after: backoff.delay(afterAttempt: job.attempt), reason: String(describing: error)))
    }

    /// Records an attempt that did not succeed; returns the outcome's name for metrics.
    private func settle(_ job: ClaimedJob, _ outcome: JobOutcome) async -> String {
        let logger = JobContext.logger(self.logger, for: job)
        let worker = configuration.workerID
        let driver = queue.driver
        switch outcome {
        case .snooze(let wait):
            await record { try await driver.fail(job.id, worker: worker, error: "", decision: .snooze(for: wait)) }
            return "snoozed"
        case .cancel(let reason):
            logger.info("job cancelled by its handler", metadata: ["reason": .string(reason)])
            await record { try await driver.fail(job.id, worker: worker, error: reason, decision: .cancel) }
            return "cancelled"
        case .permanent(let reason):
            logger.warning("job failed for good", metadata: ["reason": .string(reason)])
            await record { try await driver.fail(job.id, worker: worker, error: reason, decision: .dead) }
            return "dead"
        case .retry(let after, let reason):
            if job.attempt >= job.maxAttempts {
                logger.warning("job out of attempts", metadata: ["reason": .string(reason), "attempt": .stringConvertible(job.attempt)])
                await record { try await driver.fail(job.id, worker: worker, error: reason, decision: .dead) }
                return "dead"
            }
            logger.info("job will be retried", metadata: ["reason": .string(reason), "in": .stringConvertible(after)])
            await record { try await driver.fail(job.id, worker: worker, error: reason, decision: .retry(after: after)) }
            return "retried"
        }
    }

    /// Writes an outcome even when the job's task was cancelled (shutdown, timeout): the write runs
    /// in a task of its own, which the cancellation does not reach.
    private func record(_ write: @escaping @Sendable () async throws -> Void) async {
        do {
            try await Task { try await write() }.value
        } catch {
            logger.error("recording a job's outcome failed; its lease will return it", metadata: ["error": .string(QueueErrorText.describe(error))])
        }
    }

    // MARK: Background loops

    private func runBackground() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await self.queue.driver.listen { name in
                    self.rescans[name]?.set()
                    if let signal = self.signals[name] { Task { await signal.fire() } }
                }
            }
            group.addTask { await self.every(self.configuration.pollInterval) { self.wakeAll() } }
            // Cancels jobs past their timeout, and those whose lease this worker could not renew in
            // time: by its own clock it may no longer hold them (cheaper than a timer per job).
            group.addTask {
                await self.every(.milliseconds(50)) {
                    let now = ContinuousClock.now
                    for slot in self.running.withLock({ Array($0.values) }) {
                        if slot.deadline < now { slot.expire() }
                        if slot.leaseUntil < now { slot.loseLease() }
                    }
                }
            }
            group.addTask { await self.every(self.configuration.lease / 3) { await self.renewLeases() } }
            if configuration.maintenance {
                group.addTask { await self.maintain() }
            }
        }
    }

    /// Renews the leases of the jobs running now; a job whose lease did not come back was rescued
    /// (this worker stopped renewing in time, or lost the database for a while): its handler is
    /// cancelled, and it records nothing. A job that finished is not renewed, so one whose
    /// completion is never recorded comes back when its lease lapses. While renewals fail, the
    /// watchdog cancels each handler when its lease runs out by this worker's clock, which is
    /// before the database's (the lease was measured from before the statement was sent).
    func renewLeases() async {
        // A job whose lease was lost stays lost: its handler was cancelled and records nothing.
        let slots = running.withLock { $0 }.filter { !$0.value.hasLostLease }
        guard !slots.isEmpty else { return }
        let (driver, worker, lease) = (queue.driver, configuration.workerID, configuration.lease)
        let sent = ContinuousClock.now
        do {
            let renewal = try await Task { try await driver.renewLeases(Array(slots.keys), worker: worker, lease: lease) }.value
            for (id, slot) in slots {
                if renewal.renewed.contains(id) { slot.renewed(until: sent + lease) } else if !renewal.busy.contains(id) { slot.loseLease() }
            }
        } catch {
            logger.error("renewing leases failed; retrying at the next renewal", metadata: ["error": .string(QueueErrorText.describe(error))])
        }
    }

    private func maintain() async {
        var round = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.maintenanceInterval)
            if Task.isCancelled { return }
            round += 1
            let driver = self.queue.driver
            await self.record { _ = try await driver.fireSchedules(limit: 100) }
            if round % 5 == 0 {
                await self.record {
                    let rescued = try await driver.rescueExpired(limit: 1000)
                    if rescued > 0 { self.logger.warning("returned jobs of stopped workers to the queue", metadata: ["jobs": .stringConvertible(rescued)]) }
                }
            }
            if round % 60 == 0 {
                await self.record {
                    _ = try await driver.prune(completedBefore: self.configuration.completedRetention, deadBefore: self.configuration.deadRetention, limit: 10_000)
                }
            }
        }
    }

    /// A flag set from anywhere and taken (read and cleared) by one reader.
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        func take() -> Bool { value.withLock { value in defer { value = false }; return value } }
    }

    /// A count shared between a producer and its jobs' tasks.
    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        @discardableResult
        func add(_ delta: Int) -> Int {
            count.withLock { value in
                value += delta
                return value
            }
        }
    }

    private func every(_ interval: Duration, _ body: @Sendable () async -> Void) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await body()
        }
    }
}
