import Loyalty
import Notify
import Queue

/// Every day: the points-expiry runs of the tenants with lapsed lots.
struct LoyaltyDailyHandler: JobHandler {
    let jobs: LoyaltyDailyJobs

    func run(_ args: LoyaltyDailySweep, context: JobContext) async throws {
        try await jobs.sweep(context: context)
    }
}

/// One tenant's lapsed lots, expired once each.
struct PointsExpiryHandler: JobHandler {
    let jobs: LoyaltyDailyJobs

    func run(_ args: PointsExpiryRun, context: JobContext) async throws {
        try await jobs.expire(context: context)
    }
}

/// One tenant's year figures brought up to date as old purchases leave the rolling year.
struct TierRunHandler: JobHandler {
    let jobs: LoyaltyDailyJobs

    func run(_ args: TierRun, context: JobContext) async throws {
        try await jobs.refreshTiers(context: context)
    }
}

/// A reminder before points lapse, checked again before it goes: points spent or lapsed meanwhile stop it.
struct PointsReminderHandler: JobHandler {
    let loyalty: LoyaltyModule
    let notifier: Notifier

    func run(_ args: PointsExpiryReminderJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a reminder needs its tenant") }
        guard let due = try await loyalty.points.stillDue(args, tenantID: tenantID) else { throw JobOutcome.cancel("spent, or lapsed") }
        try await notifier.remindPointsExpiry(customerID: args.customerId, branchID: due.branchID, points: due.points, expiresAt: due.expiresAt,
                                              key: args.key, context: context)
    }
}

/// A campaign's run: its audience picked and their messages queued, the next run planned.
struct CampaignRunHandler: JobHandler {
    let runs: CampaignRuns

    func run(_ args: CampaignRunJob, context: JobContext) async throws {
        try await runs.run(args, context: context)
    }
}

/// A campaign's message to one customer, unless the campaign was cancelled meanwhile.
struct CampaignMessageHandler: JobHandler {
    let runs: CampaignRuns
    let notifier: Notifier

    func run(_ args: CampaignMessageJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a campaign message needs its tenant") }
        guard let due = try await runs.due(args, tenantID: tenantID) else { throw JobOutcome.cancel("the campaign was cancelled, or the card deleted") }
        try await notifier.sendCampaign(customerID: args.customerId, branchID: due.branchID, wording: due.wording, channels: due.channels,
                                        points: due.points, key: args.key, context: context)
    }
}
