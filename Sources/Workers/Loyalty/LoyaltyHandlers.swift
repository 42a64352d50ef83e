import Loyalty
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
