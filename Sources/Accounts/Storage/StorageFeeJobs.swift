import Foundation
import Logging
import Queue
import Storage

/// Every day: one storage-fee run per tenant with orders waiting on the shelf.
public struct StorageFeeSweep: JobArgs {
    public static let kind = "accounts.storage_fee_sweep"
    public init() {}

    public static func schedule(queue: String = "reminders") throws -> Schedule {
        try Schedule(name: "accounts.storage-fees", cron: try CronExpression("20 3 * * *"), timeZone: TimeZone(identifier: "UTC")!,
                     args: StorageFeeSweep(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 3))
    }
}

/// One tenant's storage fees (the job's tenant).
public struct StorageFeeRun: JobArgs {
    public static let kind = "accounts.storage_fees"
    public init() {}
}

/// The work of both jobs. Fees are posted in the job's completing transaction, so a run that
/// loses its lease posts nothing, and a second run finds the periods posted.
public struct StorageFeeJobs: Sendable {
    let storage: StorageService
    let queue: String

    public func sweep(context: JobContext) async throws {
        let queue = self.queue
        try await context.complete(scope: .system) { sql in
            for tenant in try await StorageService.tenantsWaiting(sql: sql) {
                _ = try await context.enqueue(StorageFeeRun(), options: JobOptions(queue: queue, priority: 2, maxAttempts: 5,
                                                                                   uniqueKey: "storage-fees:\(tenant.uuidString)", tenantID: tenant), on: sql)
            }
        }
    }

    public func run(context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a tenant's storage fees need its tenant") }
        let storage = self.storage
        let posted = try await context.complete { sql in try await storage.postFees(tenantID: tenantID, sql: sql) }
        if posted > 0 { context.logger.info("storage fees posted", metadata: ["entries": .stringConvertible(posted)]) }
    }
}
