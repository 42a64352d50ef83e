/// A wake-up call that is never lost: a fire with nobody waiting is kept for the next wait.
actor Signal {
    private var pending = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        if waiters.isEmpty {
            pending = true
        } else {
            let woken = waiters
            waiters = []
            for waiter in woken { waiter.resume() }
        }
    }

    func wait() async {
        if pending {
            pending = false
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }
}

/// Finished jobs waiting to be recorded, written in batches: one statement records everything that
/// finished while the previous statement was in flight, so that a busy worker writes few
/// statements and an idle one writes at once.
actor Completer {
    private let driver: any QueueDriver
    private let worker: String
    private let keep: Bool
    private var pending: [Int64] = []
    private var flushing = false
    private var drained: [CheckedContinuation<Void, Never>] = []
    private let onError: @Sendable (any Error) -> Void

    init(driver: any QueueDriver, worker: String, keep: Bool, onError: @escaping @Sendable (any Error) -> Void) {
        self.driver = driver
        self.worker = worker
        self.keep = keep
        self.onError = onError
    }

    func add(_ id: Int64) {
        pending.append(id)
        guard !flushing else { return }
        flushing = true
        Task { await self.flush() }
    }

    private func flush() async {
        while !pending.isEmpty {
            let ids = pending
            pending = []
            do {
                _ = try await driver.complete(ids, worker: worker, keep: keep)
            } catch {
                onError(error)
                pending.insert(contentsOf: ids, at: 0)
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        flushing = false
        let waiting = drained
        drained = []
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once everything added so far is recorded.
    func drain() async {
        guard flushing || !pending.isEmpty else { return }
        await withCheckedContinuation { drained.append($0) }
    }
}
