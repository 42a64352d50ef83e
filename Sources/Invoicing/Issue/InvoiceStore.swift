import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// The SQL of issued invoices.
enum InvoiceStore {
    static let columns = "id, number, kind, customer_id, period, issue_date, payable, status, exported_at, created_at, document"

    static func insert(_ document: InvoiceDocument, id: UUID, series: String, year: Int, seq: Int, kind: Invoice.Kind, customerID: UUID,
                       orderIDs: [UUID], tenantID: UUID, by userID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO invoices (tenant_id, id, number, series, year, seq, profile, kind, customer_id, period, issue_date, payable, document,
                                  status, created_by, created_at)
            VALUES (\(bind: tenantID), \(bind: id), \(bind: document.number), \(bind: series), \(bind: year), \(bind: seq),
                    \(bind: document.profile.rawValue), \(bind: kind.rawValue), \(bind: customerID), \(bind: document.period),
                    \(bind: document.issueDate), \(bind: document.totals.payable), \(SQLJSON(try StoredJSON.encode(document))),
                    'issued', \(bind: userID), \(bind: now))
            """).run()
        for orderID in orderIDs {
            try await sql.raw("""
                INSERT INTO invoice_orders (tenant_id, order_id, invoice_id) VALUES (\(bind: tenantID), \(bind: orderID), \(bind: id))
                """).run()
        }
    }

    /// The ids of `orderIDs` that some invoice covers already.
    static func invoiced(_ orderIDs: [UUID], tenantID: UUID, sql: any SQLDatabase) async throws -> Set<UUID> {
        guard !orderIDs.isEmpty else { return [] }
        return Set(try await sql.raw("""
            SELECT order_id FROM invoice_orders WHERE tenant_id = \(bind: tenantID) AND order_id \(SQLOneOf(orderIDs))
            """).all().map { try $0.decode(column: "order_id", as: UUID.self) })
    }

    static func get(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Invoice? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM invoices WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)")
            .first().map(decode)
    }

    /// Invoices issued on days `from...to` (`YYYY-MM-DD`, the tenant's calendar), of one customer when given, oldest first.
    static func list(tenantID: UUID, from: String, to: String, customerID: UUID?, limit: Int, sql: any SQLDatabase) async throws -> [Invoice] {
        let only: any SQLExpression = customerID.map { SQLQueryString("AND customer_id = \(bind: $0)") } ?? SQLRaw("")
        return try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM invoices
            WHERE tenant_id = \(bind: tenantID) AND issue_date >= \(bind: from) AND issue_date <= \(bind: to) \(only)
            ORDER BY series, year, seq \(SQLLimit(limit))
            """).all().map(decode)
    }

    static func xml(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("SELECT xml FROM invoices WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)")
            .first()?.decode(column: "xml", as: String?.self)
    }

    /// Stores the export.
    static func storeExport(_ id: UUID, xml: String, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE invoices SET xml = \(bind: xml), status = 'exported', exported_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)
            """).run()
    }

    static func document(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> InvoiceDocument? {
        guard let row = try await sql.raw("SELECT document FROM invoices WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)").first()
        else { return nil }
        return try StoredJSON.decode(InvoiceDocument.self, from: row.decode(column: "document", as: String.self))
    }

    static func decode(_ row: any SQLRow) throws -> Invoice {
        Invoice(id: try row.decode(column: "id", as: UUID.self),
                number: try row.decode(column: "number", as: String.self),
                kind: Invoice.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .order,
                customerId: try row.decode(column: "customer_id", as: UUID.self),
                period: try row.decode(column: "period", as: String?.self),
                issueDate: try row.decode(column: "issue_date", as: String.self),
                payable: try row.decode(column: "payable", as: Int.self),
                status: Invoice.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .issued,
                exportedAt: try row.decode(column: "exported_at", as: Date?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                document: try StoredJSON.decode(InvoiceDocument.self, from: row.decode(column: "document", as: String.self)))
    }
}
