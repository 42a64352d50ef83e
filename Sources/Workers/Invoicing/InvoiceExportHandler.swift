import Invoicing
import Queue

/// Writes an issued invoice's UBL-TR document.
struct InvoiceExportHandler: JobHandler {
    let exporter: InvoiceExporter

    func run(_ args: InvoiceExportJob, context: JobContext) async throws {
        try await exporter.export(args, context: context)
    }
}
