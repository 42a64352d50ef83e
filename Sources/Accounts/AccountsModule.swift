import Contracts
import Foundation
import Kernel

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
    public let storageFees: StorageFeeJobs

    /// `queue` is where the storage-fee runs go (`reminders`).
    public init(kernel: Kernel, queue: String = "reminders") {
        ledger = AccountService(database: kernel.database, customers: kernel.customers, customerTypes: kernel.customerTypes,
                                clock: kernel.settings.clock)
        terms = TermsService(database: kernel.database, customers: kernel.customers, customerTypes: kernel.customerTypes,
                             clock: kernel.settings.clock)
        overdue = OverdueService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        storage = StorageService(database: kernel.database, clock: kernel.settings.clock)
        storageFees = StorageFeeJobs(storage: storage, queue: queue)
    }
}
