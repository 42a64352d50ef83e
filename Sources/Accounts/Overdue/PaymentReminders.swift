import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage

/// One tenant's reminder plan run (the job's tenant).
public struct OverdueReminderRun: JobArgs {
    public static let kind = "accounts.overdue_reminders"
    public init() {}
}

/// A polite reminder to one customer: the overdue debit it is about (by its due date) and the
/// step of the plan it is (days late). The message job checks again when it runs, so a payment
/// made after the plan was run stops it.
public struct PaymentReminderJob: JobArgs, Equatable {
    public static let kind = "accounts.payment_reminder"
    public let customerId: UUID
    public let dueAt: Date
    public let step: Int

    /// The message's name for good: (the customer, the debit's due date, the step).
    public var key: String {
        "\(customerId.uuidString):\(Int64((dueAt.timeIntervalSince1970 * 1000).rounded())):\(step)"
    }
}

/// Reminder plans for overdue balances: `accounts_reminder_days` (3, 10 and 30 days after due by
/// default). Each day's run sends, per customer, the latest step reached, once; a customer who
/// has paid gets nothing.
public struct PaymentReminders: Sendable {
    let clock: KernelClock
    /// The queue the message jobs go to (Notify's, `notifications`).
    let messageQueue: String

    /// What a reminder job may still send: the overdue amount and the customer's branch; nil once paid.
    public struct Due: Sendable {
        public let overdue: Money
        public let branchID: UUID
    }

    static func steps(_ text: String?) -> [Int] {
        (text ?? "").split(separator: ",").compactMap { Int($0) }.filter { $0 >= 0 }.sorted()
    }

    func plan(context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a reminder plan needs its tenant") }
        let now = clock.now()
        let messageQueue = self.messageQueue
        try await context.complete { sql in
            let steps = Self.steps(try await SettingsService.values(AccountsSettings.declaration, tenantID: tenantID, sql: sql).text("accounts_reminder_days"))
            guard !steps.isEmpty else { return }
            for customerID in try await OverdueService.owing(tenantID: tenantID, limit: 10_000, sql: sql) {
                guard let (standing, _) = try await OverdueService.standing(customerID: customerID, tenantID: tenantID, now: now, sql: sql),
                      let step = steps.last(where: { $0 <= standing.daysLate }) else { continue }
                let job = PaymentReminderJob(customerId: customerID, dueAt: standing.oldestDueAt, step: step)
                _ = try await context.enqueue(job, options: JobOptions(queue: messageQueue, priority: 1, maxAttempts: 10,
                                                                       uniqueKey: "payment-reminder:" + job.key, tenantID: tenantID), on: sql)
            }
        }
    }

    /// Whether the reminder still stands when its message is about to go: the same debit still
    /// overdue and at least as late as its step.
    public func stillDue(_ job: PaymentReminderJob, tenantID: UUID, database: any Database) async throws -> Due? {
        let now = clock.now()
        return try await database.read(.tenant(tenantID)) { sql in
            guard let (standing, branchID) = try await OverdueService.standing(customerID: job.customerId, tenantID: tenantID, now: now, sql: sql),
                  abs(standing.oldestDueAt.timeIntervalSince(job.dueAt)) < 0.001, standing.daysLate >= job.step else { return nil }
            return Due(overdue: standing.overdue, branchID: branchID)
        }
    }

    static func tenantsOwed(sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw("SELECT DISTINCT tenant_id FROM account_entries WHERE kind = 'charge' LIMIT 100000").all()
            .map { try $0.decode(column: "tenant_id", as: UUID.self) }
    }
}
