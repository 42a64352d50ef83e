import Logging
import PostgresNIO
import Synchronization

/// Wakes the workers waiting on a queue without a NOTIFY in every enqueuing transaction.
///
/// PostgreSQL serialises the commits of transactions that NOTIFY on one global lock, so a NOTIFY
/// per enqueue made every single enqueue wait for every other. Instead, an enqueue asks this
/// waker, after its commit, to wake its queue; the waker sends `pg_notify` from outside those
/// transactions, one statement at a time for the whole process: a request that arrives while one
/// is on its way is folded into the next (River coalesces its notifications the same way). A wake
/// is never sent before the job it announces is committed, and a lost one costs at most the
/// workers' poll interval.
final class PostgresWaker: Sendable {
    private let client: PostgresClient
    private let logger: Logger
    private let state = Mutex<(pending: Set<String>, sending: Bool)>(([], false))

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func wake(_ queues: some Sequence<String>) {
        let start = state.withLock { state -> Bool in
            state.pending.formUnion(queues)
            guard !state.sending, !state.pending.isEmpty else { return false }
            state.sending = true
            return true
        }
        if start { Task { await self.send() } }
    }

    private func send() async {
        while true {
            let queues = state.withLock { state -> [String] in
                let queues = Array(state.pending)
                state.pending.removeAll()
                if queues.isEmpty { state.sending = false }
                return queues
            }
            guard !queues.isEmpty else { return }
            do {
                _ = try await client.query("SELECT pg_notify('\(unescaped: PostgresQueueDriver.channel)', q) FROM unnest(\(queues)) AS q",
                                           logger: logger).collect()
            } catch {
                logger.warning("could not wake the workers; they find the jobs at their next poll", metadata: ["error": .string(QueueErrorText.describe(error))])
            }
        }
    }
}
