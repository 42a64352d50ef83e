import Foundation
import Logging
import Queue
import Storage

/// Every day: per tenant, a storage-fee run (tenants with orders on the shelf) and an overdue
/// reminder run (tenants with customers who owe).
public struct AccountsDailySweep: JobArgs {
    public static let kind = "accounts.daily"
    public init() {}

    public static func schedule(queue: String = "reminders") throws -> Schedule {
        try Schedule(name: "accounts.daily", cron: try CronExpression("20 7 * * *"), timeZone: TimeZone(identifier: "UTC")!,
                     args: AccountsDailySweep(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 3))
    }
}

/// One tenant's orders on the shelf (the job's tenant): storage fees due and reminders to plan.
public struct StorageFeeRun: JobArgs {
    public static let kind = "accounts.storage_fees"
    public init() {}
}

/// The work of the daily jobs. Each run writes in its job's completing transaction, so a run that
/// loses its lease leaves nothing, and a second run finds what the first did.
public struct AccountsDailyJobs: Sendable {
    let storage: StorageService
    let reminders: PaymentReminders
    let queue: String
    let jobs: JobQueue

    public func sweep(context: JobContext) async throws {
        let queue = self.queue
        try await context.complete(scope: .system) { sql in
            for tenant in try await StorageService.tenantsWaiting(sql: sql) {
                _ = try await context.enqueue(StorageFeeRun(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 5,
                                                                                   uniqueKey: "storage-fees:\(tenant.uuidString)", tenantID: tenant), on: sql)
            }
            for tenant in try await PaymentReminders.tenantsOwed(sql: sql) {
                _ = try await context.enqueue(OverdueReminderRun(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 5,
                                                                                        uniqueKey: "overdue-reminders:\(tenant.uuidString)", tenantID: tenant),
                                              on: sql)
            }
        }
    }

    public func postStorageFees(context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a tenant's storage fees need its tenant") }
        let (storage, jobs, messageQueue) = (self.storage, self.jobs, reminders.messageQueue)
        let (posted, planned) = try await context.complete { sql in
            (try await storage.postFees(tenantID: tenantID, sql: sql),
             try await storage.planReminders(tenantID: tenantID, messageQueue: messageQueue, queue: jobs, sql: sql))
        }
        if posted > 0 || planned > 0 {
            context.logger.info("shelf run", metadata: ["fees": .stringConvertible(posted), "reminders": .stringConvertible(planned)])
        }
    }

    public func planReminders(context: JobContext) async throws {
        try await reminders.plan(context: context)
    }
}
