import Contracts
import Foundation
import Kernel

/// Turns an order entering a notifying stage into the job of its message, in the same transaction:
/// the stage change commits with its job, or neither does.
public struct NotifySubscriber: OrderEventSubscriber {
    /// The queue the jobs go to (`notifications`; tests give each their own).
    let queue: String

    public init(queue: String = "notifications") {
        self.queue = queue
    }

    public func handle(_ event: OrderEvent, context: EventContext) async throws {
        guard case .stageChanged(_, let stage, let notifies) = event.change, notifies else { return }
        let message = MessageKind.stage(stage)
        let millis = Int64((event.occurredAt.timeIntervalSince1970 * 1000).rounded())
        let key = "order:\(event.orderId.uuidString):\(message.id):\(millis)"
        try await context.enqueue(OrderMessageJob(orderId: event.orderId, message: message.id, key: key),
                                  options: OrderMessageJob.options(queue: queue), for: event)
    }
}
