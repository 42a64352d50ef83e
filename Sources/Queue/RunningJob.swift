import Synchronization

extension WorkerService {
    /// A job being run: its task, whether the watchdog cancelled it for running too long, and
    /// whether its lease was lost while its handler ran.
    final class RunningJob: @unchecked Sendable {  // `task` is set once, right after creation, under `running`'s lock discipline
        let deadline: ContinuousClock.Instant
        let timeout: Duration
        private let status: Mutex<(expired: Bool, leaseLost: Bool, finished: Bool, leaseUntil: ContinuousClock.Instant)>
        var task: Task<Void, Never>?

        init(deadline: ContinuousClock.Instant, timeout: Duration, leaseUntil: ContinuousClock.Instant) {
            self.deadline = deadline
            self.timeout = timeout
            status = Mutex((false, false, false, leaseUntil))
        }

        var timedOut: Bool { status.withLock { $0.expired } }

        /// Until when this worker holds the lease by its own clock.
        var leaseUntil: ContinuousClock.Instant { status.withLock { $0.leaseUntil } }

        func renewed(until: ContinuousClock.Instant) {
            status.withLock { $0.leaseUntil = max($0.leaseUntil, until) }
        }

        func expire() {
            let first = status.withLock { status -> Bool in
                defer { status.expired = true }
                return !status.expired
            }
            if first { task?.cancel() }
        }

        /// Whether the lease was lost (a later renewal must not take it back for this attempt).
        var hasLostLease: Bool { status.withLock { $0.leaseLost } }

        /// The lease did not come back at a renewal: cancels the handler if it still runs.
        func loseLease() {
            let cancel = status.withLock { status -> Bool in
                guard !status.finished && !status.leaseLost else { return false }
                status.leaseLost = true
                return true
            }
            if cancel { task?.cancel() }
        }

        /// The handler returned or threw; returns whether the lease was lost before.
        func finish() -> Bool {
            status.withLock { status in
                status.finished = true
                return status.leaseLost
            }
        }
    }
}
