import Foundation
import Kernel
import Logging
import Queue
import Storage

/// Every day: a points-expiry run for each tenant with lots that lapsed.
public struct LoyaltyDailySweep: JobArgs {
    public static let kind = "loyalty.daily"
    public init() {}

    public static func schedule(queue: String = "reminders") throws -> Schedule {
        try Schedule(name: "loyalty.daily", cron: try CronExpression("40 0 * * *"), timeZone: TimeZone(identifier: "UTC")!,
                     args: LoyaltyDailySweep(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 3))
    }
}

/// One tenant's lapsed lots, and the reminders of those about to lapse (the job's tenant).
public struct PointsExpiryRun: JobArgs {
    public static let kind = "loyalty.expiry"
    public init() {}
}

/// One tenant's customers whose purchases left the rolling year: their year figure (and so their
/// tier) recomputed.
public struct TierRun: JobArgs {
    public static let kind = "loyalty.tiers"
    public init() {}
}

/// The work of the daily jobs, each written in its job's completing transaction.
public struct LoyaltyDailyJobs: Sendable {
    let database: any Database
    let clock: KernelClock
    let queue: String
    /// Where the reminders' messages go (Notify's, `notifications`).
    let messageQueue: String
    let jobs: JobQueue

    public func sweep(context: JobContext) async throws {
        let (queue, now) = (self.queue, clock.now())
        try await context.complete(scope: .system) { sql in
            for tenant in try await PointsService.tenantsLapsing(by: now.addingTimeInterval(61 * 86_400), sql: sql) {
                _ = try await context.enqueue(PointsExpiryRun(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 5,
                                                                                     uniqueKey: "points-expiry:\(tenant.uuidString)", tenantID: tenant),
                                              on: sql)
            }
            for tenant in try await TierStore.tenantsWithTiers(sql: sql) {
                _ = try await context.enqueue(TierRun(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 5,
                                                                             uniqueKey: "loyalty-tiers:\(tenant.uuidString)", tenantID: tenant),
                                              on: sql)
            }
        }
    }

    /// Recomputes, 500 at a time, the year figure of the tenant's customers whose purchases left
    /// the rolling year in the last two days: a tier is lost on the day the spend that held it lapses.
    public func refreshTiers(context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a tenant's tier run needs its tenant") }
        let now = clock.now()
        var after: UUID?
        var refreshed = 0
        while true {
            let batch = try await database.transaction(.tenant(tenantID)) { [after] sql in
                let customers = try await TierStore.leaving(tenantID: tenantID, now: now, after: after, limit: 500, sql: sql)
                try await TierStore.refresh(customers, tenantID: tenantID, at: now, sql: sql)
                return customers
            }
            refreshed += batch.count
            guard batch.count == 500, let last = batch.last else { break }
            after = last
        }
        try await context.complete { _ in }
        if refreshed > 0 { context.logger.info("tier run", metadata: ["customers": .stringConvertible(refreshed)]) }
    }

    public func expire(context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a tenant's expiry run needs its tenant") }
        let (now, messageQueue, jobs) = (clock.now(), self.messageQueue, self.jobs)
        // Lapsed lots a batch at a time, each batch committed: a run that stops half way leaves
        // the rest to the next, and every lot expires once (its source key).
        var expired = 0
        for _ in 0..<10_000 {
            let batch = try await database.transaction(.tenant(tenantID)) { sql in
                try await PointsService.expireLapsed(tenantID: tenantID, now: now, sql: sql)
            }
            expired += batch
            if batch < PointsService.expiryBatch { break }
        }
        let reminded = try await context.complete { sql in
            try await PointsService.planReminders(tenantID: tenantID, now: now, messageQueue: messageQueue, queue: jobs, sql: sql)
        }
        if expired > 0 || reminded > 0 {
            context.logger.info("points run", metadata: ["expired": .stringConvertible(expired), "reminders": .stringConvertible(reminded)])
        }
    }
}
