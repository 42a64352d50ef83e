import Foundation
import Queue

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

    /// The job that takes a message on after a failure its provider reported later: one at a time
    /// per message (a status delivered twice makes one job), after `delay`.
    static func fallback(queue: String, tenantID: UUID, key: String, runAt: Date? = nil) -> JobOptions {
        JobOptions(queue: queue, priority: 0, runAt: runAt, maxAttempts: 10, uniqueKey: "notify:" + key, tenantID: tenantID)
    }
}
