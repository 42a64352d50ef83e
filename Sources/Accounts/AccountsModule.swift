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

    public init(kernel: Kernel) {
        ledger = AccountService(database: kernel.database, customers: kernel.customers, customerTypes: kernel.customerTypes,
                                clock: kernel.settings.clock)
        terms = TermsService(database: kernel.database, customers: kernel.customers, customerTypes: kernel.customerTypes,
                             clock: kernel.settings.clock)
    }
}
