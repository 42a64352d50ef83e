import Accounts
import Queue

/// Every day: a storage-fee run for each tenant with orders on the shelf.
struct StorageFeeSweepHandler: JobHandler {
    let jobs: StorageFeeJobs

    func run(_ args: StorageFeeSweep, context: JobContext) async throws {
        try await jobs.sweep(context: context)
    }
}

/// One tenant's storage fees that are due.
struct StorageFeeRunHandler: JobHandler {
    let jobs: StorageFeeJobs

    func run(_ args: StorageFeeRun, context: JobContext) async throws {
        try await jobs.run(context: context)
    }
}
