import Foundation
import Queue

/// Writes one invoice's UBL-TR document (queue `invoices`), enqueued in the transaction that
/// issues the invoice.
public struct InvoiceExportJob: JobArgs, Equatable {
    public static let kind = "invoicing.export"
    public let invoiceId: UUID

    public init(invoiceId: UUID) {
        self.invoiceId = invoiceId
    }

    func options(queue: String, tenantID: UUID) -> JobOptions {
        JobOptions(queue: queue, priority: 1, maxAttempts: 5, uniqueKey: "invoice-export:" + invoiceId.uuidString, tenantID: tenantID)
    }
}

/// Runs export jobs: the document is rebuilt from what the invoice holds and stored with the job's
/// completion, in one transaction (a job run twice writes the same document twice).
public struct InvoiceExporter: Sendable {
    let clock: @Sendable () -> Date

    public init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    public func export(_ job: InvoiceExportJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { return }
        let now = clock()
        try await context.complete { sql in
            guard let document = try await InvoiceStore.document(job.invoiceId, tenantID: tenantID, sql: sql) else { return }
            try await InvoiceStore.storeExport(job.invoiceId, xml: UBLWriter.xml(document), tenantID: tenantID, at: now, sql: sql)
        }
    }
}
