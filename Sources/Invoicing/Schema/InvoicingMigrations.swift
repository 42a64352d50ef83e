import Contracts

/// The invoicing module's own tables, on their own migration line (owner `invoicing`).
public enum InvoicingMigrations {
    public static let owner = "invoicing"

    public static let all: [Migration] = [
        Migration(owner: owner, version: 1, name: "invoices, their series and their export", statements: [
            // One row per invoice number ever given: the document as issued (parties, lines, taxes,
            // totals) is kept whole in `document`, so that a later change of a customer, a price or
            // the business's address never changes an invoice. `xml` is the UBL-TR export, written
            // by the export job.
            .portable("""
                CREATE TABLE invoices (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    number TEXT NOT NULL,
                    series TEXT NOT NULL,
                    year BIGINT NOT NULL,
                    seq BIGINT NOT NULL,
                    profile TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    customer_id {uuid} NOT NULL,
                    period TEXT,
                    issue_date TEXT NOT NULL,
                    payable BIGINT NOT NULL,
                    document {json} NOT NULL,
                    status TEXT NOT NULL,
                    xml TEXT,
                    exported_at {timestamp},
                    created_by {uuid} NOT NULL,
                    created_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX invoices_number ON invoices (tenant_id, number)"),
            .both("CREATE UNIQUE INDEX invoices_sequence ON invoices (tenant_id, series, year, seq)"),
            .both("CREATE INDEX invoices_issue_date_idx ON invoices (tenant_id, issue_date)"),
            .both("CREATE INDEX invoices_customer_idx ON invoices (tenant_id, customer_id, issue_date)"),
            // An order is invoiced once, alone or in its month's consolidated invoice.
            .portable("""
                CREATE TABLE invoice_orders (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    order_id {uuid} NOT NULL,
                    invoice_id {uuid} NOT NULL,
                    PRIMARY KEY (tenant_id, order_id),
                    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
                )
                """),
            // The last number given per series and year, taken inside the transaction that issues
            // the invoice: the row stays locked until it commits, so numbers have no gaps.
            .portable("""
                CREATE TABLE invoice_counters (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    series TEXT NOT NULL,
                    year BIGINT NOT NULL,
                    value BIGINT NOT NULL,
                    PRIMARY KEY (tenant_id, series, year)
                )
                """),
            // When each order was handed over, for the month's consolidated invoice.
            .portable("""
                CREATE TABLE invoice_deliveries (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    order_id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    delivered_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, order_id)
                )
                """),
            .both("CREATE INDEX invoice_deliveries_customer_idx ON invoice_deliveries (tenant_id, customer_id, delivered_at)"),
        ] + ["invoices", "invoice_orders", "invoice_counters", "invoice_deliveries"].flatMap(MigrationStatement.tenantPolicy(table:))),
    ]
}
