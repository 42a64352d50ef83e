import Accounts
import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage

/// Issues invoices — one per retail order, or one a month per corporate customer — numbers them
/// without gaps, and queues each one's UBL-TR export in the same transaction.
public struct InvoiceService: Sendable {
    let kernel: Kernel
    let jobQueue: String

    public static let maximumOrdersPerInvoice = 500
    public static let maximumListed = 1_000

    var database: any Database { kernel.database }

    /// The invoice of one order.
    public func issue(orderID: UUID, by principal: Principal) async throws -> Invoice {
        try Self.requireIssuer(principal)
        let order = try await kernel.orders.get(orderID, by: principal)
        guard order.stage != Workflow.cancelled else { throw DomainError(.conflict, "Order \(order.number) is cancelled; there is nothing to invoice.") }
        return try await issue(orders: [order], customerID: order.customerId, kind: .order, period: nil, by: principal)
    }

    /// One invoice for the orders of `customerID` delivered in `month` (`2026-11`, the tenant's calendar) and not invoiced yet.
    public func issueMonthly(customerID: UUID, month: String, by principal: Principal) async throws -> Invoice {
        try Self.requireIssuer(principal)
        let tenant = try await kernel.tenants.current(principal)
        guard let range = LocalCalendar(zone: tenant.timeZone).month(month) else {
            throw DomainError.invalid("month", .invalidValue, "month must be a month such as 2026-11.")
        }
        _ = try await kernel.customers.get(customerID, by: principal)
        let ids = try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT d.order_id FROM invoice_deliveries d
                WHERE d.tenant_id = \(bind: principal.tenantID) AND d.customer_id = \(bind: customerID)
                  AND d.delivered_at >= \(bind: range.lowerBound) AND d.delivered_at < \(bind: range.upperBound)
                  AND NOT EXISTS (SELECT 1 FROM invoice_orders i WHERE i.tenant_id = d.tenant_id AND i.order_id = d.order_id)
                ORDER BY d.delivered_at \(SQLLimit(Self.maximumOrdersPerInvoice + 1))
                """).all().map { try $0.decode(column: "order_id", as: UUID.self) }
        }
        guard !ids.isEmpty else { throw DomainError(.conflict, "No order of this customer delivered in \(month) is waiting for an invoice.") }
        guard ids.count <= Self.maximumOrdersPerInvoice else {
            throw DomainError(.conflict, "More than \(Self.maximumOrdersPerInvoice) orders were delivered in \(month); invoice them per order.")
        }
        var orders: [Order] = []
        for id in ids { orders.append(try await kernel.orders.get(id, by: principal)) }
        orders.sort { $0.createdAt < $1.createdAt }
        return try await issue(orders: orders, customerID: customerID, kind: .monthly, period: month, by: principal)
    }

    func issue(orders: [Order], customerID: UUID, kind: Invoice.Kind, period: String?, by principal: Principal) async throws -> Invoice {
        let customer = try await kernel.customers.get(customerID, by: principal)
        let tenant = try await kernel.tenants.current(principal)
        let settings = try await kernel.settingsService.values(owner: InvoicingSettings.owner, tenantID: principal.tenantID)
        let supplier = try InvoiceParties.supplier(settings)
        let now = kernel.settings.clock.now()
        let local = LocalCalendar(zone: tenant.timeZone)
        let (issueDate, issueTime, year) = (local.isoDay(now), local.isoTime(now), local.year(now))
        let series = settings.text("invoice_series") ?? "FTR"
        let tenantID = principal.tenantID
        let invoice = try await database.transaction(.tenant(tenantID)) { sql in
            let taken = try await InvoiceStore.invoiced(orders.map(\.id), tenantID: tenantID, sql: sql)
            if let order = orders.first(where: { taken.contains($0.id) }) {
                throw DomainError(.conflict, "Order \(order.number) is invoiced already.")
            }
            let tax = try await TermsService.taxIdentity(customerID: customerID, tenantID: tenantID, sql: sql)
            if kind == .monthly, tax?.taxNumber == nil {
                throw DomainError(.conflict, "A monthly invoice goes to a customer with a tax number; set the customer's tax identity first.")
            }
            let buyer = InvoiceParties.buyer(customer, tax: tax)
            let profile: InvoiceDocument.Profile = buyer.scheme == "VKN"
                ? (settings.text("invoice_business_profile") == "TICARIFATURA" ? .commercial : .basic) : .archive
            let builder = InvoiceBuilder(supplier: supplier, buyer: buyer, profile: profile,
                                         zeroRateExemption: (settings.text("invoice_zero_vat_code") ?? "351",
                                                             settings.text("invoice_zero_vat_reason") ?? "KDV İstisna Olmayan Diğer"))
            let (seq, number) = try await InvoiceNumbering.next(series: series, year: year, tenantID: tenantID, sql: sql)
            let document: InvoiceDocument
            do {
                document = try builder.document(number: number, uuid: UUID(), issueDate: issueDate, issueTime: issueTime, orders: orders,
                                                period: period)
            } catch InvoiceBuilder.BuildError.negativeAdjustment(let number) {
                throw DomainError(.conflict, "Order \(number) has an adjustment that takes money off; such orders cannot be invoiced yet.")
            } catch InvoiceBuilder.BuildError.nothingToInvoice {
                throw DomainError(.conflict, "These orders have no line left to invoice.")
            }
            let id = UUID()
            try await InvoiceStore.insert(document, id: id, series: series, year: year, seq: seq, kind: kind, customerID: customerID,
                                          orderIDs: orders.map(\.id), tenantID: tenantID, by: principal.userID, at: now, sql: sql)
            let job = InvoiceExportJob(invoiceId: id)
            _ = try await kernel.queue.enqueue(job, options: job.options(queue: jobQueue, tenantID: tenantID),
                                               on: sql)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: customer.branchId, actor: principal.actor, action: "invoice.issue",
                                      entity: "invoice", entityID: id.uuidString, after: ["number": number, "orders": orders.map(\.number).joined(separator: ",")],
                                      at: now)
            return try await InvoiceStore.get(id, tenantID: tenantID, sql: sql)
        }
        guard let invoice else { throw DomainError.notFound("invoice") }
        return invoice
    }

    public func get(_ id: UUID, by principal: Principal) async throws -> Invoice {
        try Self.requireReader(principal)
        let invoice = try await database.read(.tenant(principal.tenantID)) { sql in
            try await InvoiceStore.get(id, tenantID: principal.tenantID, sql: sql)
        }
        guard let invoice else { throw DomainError.notFound("invoice") }
        _ = try await kernel.customers.get(invoice.customerId, by: principal)
        return invoice
    }

    /// The invoices of one month (`2026-11`), of one customer when given, in number order.
    public func list(month: String, customerID: UUID?, by principal: Principal) async throws -> [Invoice] {
        try Self.requireReader(principal)
        guard LocalCalendar(.gmt).month(month) != nil else {
            throw DomainError.invalid("month", .invalidParameter, "month must be a month such as 2026-11.")
        }
        if let customerID { _ = try await kernel.customers.get(customerID, by: principal) } else { try Self.requireOffice(principal) }
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await InvoiceStore.list(tenantID: principal.tenantID, from: month + "-01", to: month + "-31", customerID: customerID,
                                        limit: Self.maximumListed, sql: sql)
        }
    }

    /// The UBL-TR document; nil while its export job has not run yet.
    public func xml(_ id: UUID, by principal: Principal) async throws -> (number: String, xml: String?) {
        let invoice = try await get(id, by: principal)
        let xml = try await database.read(.tenant(principal.tenantID)) { sql in
            try await InvoiceStore.xml(id, tenantID: principal.tenantID, sql: sql)
        }
        return (invoice.number, xml)
    }

    /// The invoice that covers an order, if one does.
    public func invoiceID(ofOrder orderID: UUID, by principal: Principal) async throws -> UUID? {
        try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("SELECT invoice_id FROM invoice_orders WHERE tenant_id = \(bind: principal.tenantID) AND order_id = \(bind: orderID)")
                .first()?.decode(column: "invoice_id", as: UUID.self)
        }
    }

    /// The printable page of an invoice.
    public func html(_ id: UUID, by principal: Principal) async throws -> (number: String, html: String) {
        let invoice = try await get(id, by: principal)
        return (invoice.number, InvoicePage.html(invoice.document))
    }

    /// The exported documents of a month as a zip; invoices still being exported are left out and counted.
    public func archive(month: String, by principal: Principal) async throws -> (zip: Data, files: Int, pending: Int) {
        try Self.requireOffice(principal)
        let invoices = try await list(month: month, customerID: nil, by: principal)
        let files = try await database.read(.tenant(principal.tenantID)) { sql in
            var files: [MonthArchive.File] = []
            for invoice in invoices where invoice.status == .exported {
                if let xml = try await InvoiceStore.xml(invoice.id, tenantID: principal.tenantID, sql: sql) {
                    files.append(MonthArchive.File(name: invoice.number + ".xml", xml: xml, date: invoice.exportedAt ?? invoice.createdAt))
                }
            }
            return files
        }
        return (try MonthArchive.zip(files), files.count, invoices.count - files.count)
    }

    static func requireIssuer(_ principal: Principal) throws {
        guard principal.role != .courier else { throw DomainError(.forbidden, "Couriers do not issue invoices.") }
    }

    static func requireReader(_ principal: Principal) throws {
        guard principal.role != .courier else { throw DomainError(.forbidden, "Couriers do not read invoices.") }
    }

    /// Lists across customers are for the owner and the accountant.
    static func requireOffice(_ principal: Principal) throws {
        try principal.require(oneOf: [.owner, .accountant], to: "list every invoice")
    }
}
