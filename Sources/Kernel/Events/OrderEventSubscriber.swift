import Foundation
import Queue
import SQLKit

/// Turns order events into work, inside the transaction that publishes them: a job enqueued here
/// exists if and only if the change commits. Feature modules register theirs at start-up
/// (`Kernel(…, subscribers:)`); the kernel knows none by name. A subscriber that throws rolls the
/// change back, so it should throw only when the change must not happen without its work.
public protocol OrderEventSubscriber: Sendable {
    func handle(_ event: OrderEvent, context: EventContext) async throws
}

/// What a subscriber may use: the publishing transaction, scoped to the event's tenant.
public struct EventContext: Sendable {
    /// The transaction the event was published in (the tenant's scope, row-level security applies).
    public let sql: any SQLDatabase
    let queue: JobQueue

    /// Enqueues a job in the publishing transaction, for the event's tenant unless `options` names one.
    /// Nil when a job with the same unique key is pending already.
    @discardableResult
    public func enqueue<Args: JobArgs>(_ args: Args, options: JobOptions = JobOptions(), for event: OrderEvent) async throws -> Int64? {
        var options = options
        if options.tenantID == nil { options.tenantID = event.tenantId }
        return try await queue.enqueue(args, options: options, on: sql)
    }
}
