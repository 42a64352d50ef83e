import Notify
import Queue

/// Sends the message an order's stage change called for (see `Notifier` for the once-only rule).
struct OrderMessageHandler: JobHandler {
    let notifier: Notifier

    var timeout: Duration { .seconds(30) }

    func run(_ args: OrderMessageJob, context: JobContext) async throws {
        try await notifier.deliver(args, context: context)
    }
}
