import Contracts
import Foundation
import Queue
import Storage

/// What the SaaS operator sees of the job queue and does with its jobs, each action audited.
public struct JobAdministration: Sendable {
    let queue: JobQueue
    let database: any Database
    let clock: Clock

    public enum Action: String, Sendable {
        case retry, cancel, discard
    }

    public func stats() async throws -> QueueStats {
        try await queue.stats()
    }

    /// Jobs newest first, of one state (by its name) and queue when given.
    public func list(state name: String?, queue: String?, limit: Int) async throws -> [JobRecord] {
        guard (1...500).contains(limit) else { throw DomainError.invalid("limit", .invalidParameter, "limit must be between 1 and 500.") }
        var state: JobState?
        if let name {
            guard let parsed = JobState(rawValue: name) else {
                throw DomainError.invalid("state", .invalidParameter, "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            state = parsed
        }
        return try await self.queue.jobs(state: state, queue: queue, limit: limit)
    }

    public func get(_ id: Int64) async throws -> JobRecord {
        guard let job = try await queue.job(id) else { throw DomainError.notFound("The job") }
        return job
    }

    /// Retries a dead, cancelled or waiting job now; cancels or discards (gives up on) a waiting one.
    public func perform(_ action: Action, on id: Int64, by actor: OperatorPrincipal) async throws -> JobRecord {
        let before = try await get(id)
        let done: Bool
        switch action {
        case .retry: done = try await queue.retry(id)
        case .cancel: done = try await queue.cancel(id)
        case .discard: done = try await queue.discard(id)
        }
        guard done else {
            throw DomainError(.conflict, "Job \(id) is \(before.state.rawValue); it cannot be \(action == .retry ? "retried" : action == .cancel ? "cancelled" : "discarded") now.")
        }
        let after = try await get(id)
        let now = clock.now()
        try await database.transaction(.system) { sql in
            try await AuditLog.record(sql, tenantID: after.tenantId, branchID: nil, actor: actor.actor, action: "job.\(action.rawValue)", entity: "job",
                                      entityID: String(id), before: ["state": before.state.rawValue], after: ["state": after.state.rawValue], at: now)
        }
        return after
    }
}
