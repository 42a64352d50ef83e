import Contracts
import Foundation
import Kernel
import Storage

/// The account module as a process composes it: the ledger, terms, and the order-event subscriber
/// that keeps the ledger in step with the orders.
public struct AccountsModule: Sendable {
    public static let migrations = AccountsMigrations.all
    public static let settings = AccountsSettings.declaration

    /// The order-event subscriber to register with the kernel.
    public static let subscriber = AccountsSubscriber()

    public let ledger: AccountService
    public let terms: TermsService
    public let overdue: OverdueService
    public let storage: StorageService
    public let reminders: PaymentReminders
    public let daily: AccountsDailyJobs
    public let statements: StatementMailer
    let database: any Database

    /// `queue` is where the daily runs go (`reminders`), `messageQueue` the reminders' messages (`notifications`).
    /// Whether a payment reminder still stands (the job's tenant).
    public func stillDue(_ job: PaymentReminderJob, tenantID: UUID) async throws -> PaymentReminders.Due? {
        try await reminders.stillDue(job, tenantID: tenantID, database: database)
    }

    public init(kernel: Kernel, queue: String = "reminders", messageQueue: String = "notifications") {
        ledger = AccountService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        terms = TermsService(database: kernel.database, customers: kernel.customers, customerTypes: kernel.customerTypes,
                             clock: kernel.settings.clock)
        overdue = OverdueService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        storage = StorageService(database: kernel.database, clock: kernel.settings.clock)
        reminders = PaymentReminders(clock: kernel.settings.clock, messageQueue: messageQueue)
        daily = AccountsDailyJobs(storage: storage, reminders: reminders, queue: queue, jobs: kernel.queue)
        statements = StatementMailer(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock, jobs: kernel.queue,
                                     messageQueue: messageQueue)
        database = kernel.database
    }
}
