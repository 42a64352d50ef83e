import Contracts
import Foundation
import Queue
import SQLKit

/// The job of one message about an order, enqueued in the transaction of the change that calls
/// for it. `key` names the message for good: (the event, the customer, the purpose).
public struct OrderMessageJob: JobArgs, Equatable {
    public static let kind = "notify.order_message"
    public let orderId: UUID
    /// `MessageKind.id`, e.g. `stage.ready`.
    public let message: String
    public let key: String

    public init(orderId: UUID, message: String, key: String) {
        self.orderId = orderId
        self.message = message
        self.key = key
    }

    /// Notifications go first: priority 0 on their own queue.
    public static func options(queue: String = "notifications") -> JobOptions {
        JobOptions(queue: queue, priority: 0, maxAttempts: 10)
    }

    /// An uncollected order's reminder, named for good by (the order, when it became ready, the
    /// step of the plan): a step is sent once per wait.
    public static func uncollectedReminder(orderID: UUID, readyAt: Date, step: Int) -> OrderMessageJob {
        let millis = Int64((readyAt.timeIntervalSince1970 * 1000).rounded())
        return OrderMessageJob(orderId: orderID, message: MessageKind.uncollectedReminder.id,
                               key: "uncollected:\(orderID.uuidString):\(millis):\(step)")
    }

    /// Enqueues, in `sql`, the job that takes a message on after a failure its provider reported
    /// later (a row of the log with `order_id`, `message` and `dedupe_key`): one at a time per
    /// message, so a status delivered twice makes one job. An order's message goes again as this
    /// job, an appointment's reminder as its own (`AppointmentReminderJob.resend`); other rows of
    /// no order (campaigns, payment and points reminders, statements) are left as they are.
    static func resend(_ row: any SQLRow, queue jobQueue: String, tenantID: UUID, runAt: Date? = nil, on queue: JobQueue,
                       sql: any SQLDatabase) async throws {
        let key = try row.decode(column: "dedupe_key", as: String.self)
        guard let orderID = try row.decode(column: "order_id", as: UUID?.self) else {
            try await AppointmentReminderJob.resend(key: key, queue: jobQueue, tenantID: tenantID, runAt: runAt, on: queue, sql: sql)
            return
        }
        _ = try await queue.enqueue(OrderMessageJob(orderId: orderID, message: try row.decode(column: "message", as: String.self), key: key),
                                    options: JobOptions(queue: jobQueue, priority: 0, runAt: runAt, maxAttempts: 10,
                                                        uniqueKey: "notify:" + key, tenantID: tenantID),
                                    on: sql)
    }
}
