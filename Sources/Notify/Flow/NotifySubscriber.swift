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
        try await context.enqueue(Self.job(orderID: event.orderId, stage: stage, at: event.occurredAt),
                                  options: OrderMessageJob.options(queue: queue), for: event)
    }

    /// The message job of an order entering `stage` at `time`, named by (order, message, time).
    public static func job(orderID: UUID, stage: String, at time: Date) -> OrderMessageJob {
        let message = MessageKind.stage(stage)
        let millis = Int64((time.timeIntervalSince1970 * 1000).rounded())
        return OrderMessageJob(orderId: orderID, message: message.id, key: "order:\(orderID.uuidString):\(message.id):\(millis)")
    }
}
