import Foundation
import Kernel

/// The invoicing module as a process composes it: issue and numbering, the export job's work, and
/// the subscriber that notes deliveries for monthly invoices.
public struct InvoicingModule: Sendable {
    public static let migrations = InvoicingMigrations.all
    public static let settings = InvoicingSettings.declaration
    public static let subscriber = InvoicingSubscriber()
    /// The queue export jobs go to.
    public static let queue = "invoices"

    public let invoices: InvoiceService
    public let exporter: InvoiceExporter

    public init(kernel: Kernel, queue: String = InvoicingModule.queue) {
        invoices = InvoiceService(kernel: kernel, jobQueue: queue)
        let clock = kernel.settings.clock
        exporter = InvoiceExporter(clock: { clock.now() })
    }
}
