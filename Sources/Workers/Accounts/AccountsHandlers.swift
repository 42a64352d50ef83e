import Accounts
import Notify
import Queue

/// Every day: the storage-fee and overdue-reminder runs of each tenant.
struct AccountsDailyHandler: JobHandler {
    let jobs: AccountsDailyJobs

    func run(_ args: AccountsDailySweep, context: JobContext) async throws {
        try await jobs.sweep(context: context)
    }
}

/// One tenant's storage fees that are due.
struct StorageFeeRunHandler: JobHandler {
    let jobs: AccountsDailyJobs

    func run(_ args: StorageFeeRun, context: JobContext) async throws {
        try await jobs.postStorageFees(context: context)
    }
}

/// One tenant's reminder plan: a message job per customer whose latest step is reached.
struct OverdueReminderRunHandler: JobHandler {
    let jobs: AccountsDailyJobs

    func run(_ args: OverdueReminderRun, context: JobContext) async throws {
        try await jobs.planReminders(context: context)
    }
}

/// One payment reminder, checked again before it goes: a customer who has paid meanwhile gets nothing.
struct PaymentReminderHandler: JobHandler {
    let accounts: AccountsModule
    let notifier: Notifier
    let timeout: Duration

    func run(_ args: PaymentReminderJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a reminder needs its tenant") }
        guard let due = try await accounts.stillDue(args, tenantID: tenantID) else { throw JobOutcome.cancel("paid, or no longer overdue") }
        try await notifier.remindPayment(customerID: args.customerId, branchID: due.branchID, amountDue: due.overdue, dueAt: args.dueAt,
                                         key: args.key, context: context)
    }
}

/// One customer's statement of a month, built when the job runs and mailed with the .xlsx attached.
struct StatementMailHandler: JobHandler {
    let accounts: AccountsModule
    let notifier: Notifier

    func run(_ args: StatementMailJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a statement needs its tenant") }
        guard let prepared = try await accounts.statements.prepare(args, tenantID: tenantID) else {
            throw JobOutcome.cancel("the customer no longer exists")
        }
        try await notifier.mailStatement(customerID: args.customerId, branchID: prepared.branchID, period: prepared.period,
                                         balance: prepared.statement.closingBalance,
                                         attachment: MailAttachment(filename: prepared.filename, contentType: StatementWorkbook.contentType,
                                                                    data: prepared.workbook),
                                         key: args.key, context: context)
    }
}
