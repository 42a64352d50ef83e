import Notify
import Queue

/// Sends the message an order's stage change called for (see `Notifier` for the once-only rule).
struct OrderMessageHandler: JobHandler {
    let notifier: Notifier
    let timeout: Duration

    func run(_ args: OrderMessageJob, context: JobContext) async throws {
        try await notifier.deliverGathered(args, context: context)
    }
}

/// Every minute: a poll job for each tenant with a Netgsm account.
struct NetgsmPollAllHandler: JobHandler {
    let polling: NetgsmPolling

    func run(_ args: NetgsmPollAll, context: JobContext) async throws {
        try await polling.fanOut(context: context)
    }
}

/// One tenant's delivery reports and inbox.
struct NetgsmPollTenantHandler: JobHandler {
    let polling: NetgsmPolling
    /// The inbox and up to five report calls, each within the provider timeout.
    let timeout: Duration

    func run(_ args: NetgsmPollTenant, context: JobContext) async throws {
        try await polling.poll(context: context)
    }
}

/// An appointment's reminder, 24 h or 2 h before.
struct AppointmentReminderHandler: JobHandler {
    let notifier: Notifier
    let timeout: Duration

    func run(_ args: AppointmentReminderJob, context: JobContext) async throws {
        try await notifier.remind(args, context: context)
    }
}
