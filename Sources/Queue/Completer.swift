import Synchronization

/// Finished jobs waiting to be recorded. A busy worker records them with its next claim (one
/// statement for both); otherwise they are written on their own a moment later, in one statement
/// for everything that finished meanwhile.
final class Completer: Sendable {
    private let driver: any QueueDriver
    private let worker: String
    private let keep: Bool
    private let state = Mutex<(pending: [Int64], flushing: Bool)>(([], false))
    private let onError: @Sendable (any Error) -> Void

    init(driver: any QueueDriver, worker: String, keep: Bool, onError: @escaping @Sendable (any Error) -> Void) {
        self.driver = driver
        self.worker = worker
        self.keep = keep
        self.onError = onError
    }

    func add(_ id: Int64) {
        let startFlush = state.withLock { state -> Bool in
            state.pending.append(id)
            guard !state.flushing else { return false }
            state.flushing = true
            return true
        }
        if startFlush {
            Task {
                try? await Task.sleep(for: .milliseconds(2))
                await self.flush()
            }
        }
    }

    /// Drops a finished job not recorded yet: it was claimed again after its lease lapsed, and the
    /// earlier attempt's completion must not complete the new one.
    func forget(_ id: Int64) {
        state.withLock { $0.pending.removeAll { $0 == id } }
    }

    /// Hands the finished jobs to a claim that records them.
    func takeAll() -> [Int64] {
        state.withLock { state in
            let ids = state.pending
            state.pending = []
            return ids
        }
    }

    private func flush() async {
        while true {
            let ids = state.withLock { state -> [Int64] in
                let ids = state.pending
                state.pending = []
                if ids.isEmpty { state.flushing = false }
                return ids
            }
            guard !ids.isEmpty else { return }
            do {
                _ = try await driver.complete(ids, worker: worker, keep: keep)
            } catch {
                onError(error)
                state.withLock { $0.pending.insert(contentsOf: ids, at: 0) }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Returns once everything added so far is recorded (true), or after `limit` (false: the
    /// database did not take them; their jobs come back when their leases lapse).
    func drain(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while state.withLock({ $0.flushing || !$0.pending.isEmpty }) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
