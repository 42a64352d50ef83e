import Foundation
import Queue
import Synchronization

/// Message jobs gathered as they run, so that many go together: while a batch is on its way (its
/// reads, its provider call, its commit), the jobs that start meanwhile wait and form the next.
/// At light load a job goes alone, at once; under load each round trip carries many. Each job
/// still ends on its own: completed, failed, or handed back to run alone (`BatchOutcome.alone`).
final class DeliveryGroup: Sendable {
    typealias Item = (job: OrderMessageJob, context: JobContext)
    typealias Process = @Sendable (_ tenantID: UUID, _ items: [Item]) async -> [BatchOutcome]
    private typealias Waiting = (tenantID: UUID, item: Item, continuation: CheckedContinuation<BatchOutcome, Never>)

    private let state = Mutex<(waiting: [Waiting], running: Int)>(([], 0))
    /// The most jobs in one batch.
    static let limit = 200
    /// Batches on their way at once (some read while others wait for the disk or the provider).
    static let parallel = 4

    func submit(_ item: Item, tenantID: UUID, process: @escaping Process) async -> BatchOutcome {
        await withCheckedContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append((tenantID, item, continuation))
                guard state.running < Self.parallel else { return false }
                state.running += 1
                return true
            }
            if start { Task { await self.drain(process) } }
        }
    }

    private func drain(_ process: Process) async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.waiting.prefix(Self.limit))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.running -= 1 }
                return batch
            }
            guard !batch.isEmpty else { return }
            for (tenantID, waiting) in Dictionary(grouping: batch, by: \.tenantID) {
                let outcomes = await process(tenantID, waiting.map(\.item))
                for (index, entry) in waiting.enumerated() { entry.continuation.resume(returning: outcomes[index]) }
            }
        }
    }
}

/// How one job of a batch ended.
enum BatchOutcome: Sendable {
    /// Sent (or found sent) and completed with the batch.
    case completed
    /// The job's run ends with this error (a retry, a lost lease).
    case failed(any Error)
    /// Not for the batch (an earlier attempt on record, a commercial message, a channel passed
    /// over, a provider's refusal to follow up): the job runs on its own, as every job once did.
    case alone
}
