import Contracts

/// The account module's own tables, on their own migration line (owner `accounts`).
public enum AccountsMigrations {
    public static let owner = "accounts"

    public static let all: [Migration] = [
        Migration(owner: owner, version: 1, name: "account entries and payment terms", statements: [
            // The customer account (cari): every charge, payment, refund, return, discount, fee and
            // adjustment, never changed or removed. A correction is a new row naming the one it
            // corrects (at most once). `amount` is signed: positive is owed by the customer (debit),
            // negative is owed to them (credit). The balance is the sum, never a stored number.
            .portable("""
                CREATE TABLE account_entries (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    kind TEXT NOT NULL,
                    amount BIGINT NOT NULL,
                    method TEXT,
                    order_id {uuid},
                    corrects_id {uuid},
                    reason TEXT,
                    source_key TEXT,
                    occurred_at {timestamp} NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
                    FOREIGN KEY (tenant_id, corrects_id) REFERENCES account_entries (tenant_id, id)
                )
                """),
            .both("CREATE INDEX account_entries_customer_idx ON account_entries (tenant_id, customer_id, occurred_at)"),
            .both("CREATE INDEX account_entries_order_idx ON account_entries (tenant_id, order_id)"),
            // What posts itself (a storage fee for a period, …) posts once, however many workers run.
            .both("CREATE UNIQUE INDEX account_entries_source_key ON account_entries (tenant_id, source_key)"),
            .both("CREATE UNIQUE INDEX account_entries_corrects ON account_entries (tenant_id, corrects_id)"),
        ] + MigrationStatement.appendOnly(table: "account_entries", message: "account entries are append-only") + [
            // Payment terms and the invoice identity of one customer; customers without a row take
            // their type's terms (`account_type_terms`), and without that pay on delivery.
            .portable("""
                CREATE TABLE account_profiles (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    customer_id {uuid} NOT NULL,
                    terms TEXT,
                    due_days BIGINT,
                    credit_limit BIGINT,
                    collateral TEXT,
                    tax_number TEXT,
                    tax_office TEXT,
                    legal_name TEXT,
                    version BIGINT NOT NULL,
                    updated_by {uuid} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, customer_id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .portable("""
                CREATE TABLE account_type_terms (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    customer_type TEXT NOT NULL,
                    terms TEXT NOT NULL,
                    due_days BIGINT NOT NULL,
                    credit_limit BIGINT,
                    updated_by {uuid} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, customer_type)
                )
                """),
        ] + ["account_entries", "account_profiles", "account_type_terms"].flatMap(MigrationStatement.tenantPolicy(table:))),
        Migration(owner: owner, version: 2, name: "orders waiting on the shelf", statements: [
            // An order that became ready and has not left the ready stage: collected (delivered,
            // sent out, cancelled) sets `collected_at`. Storage fees and the uncollected list read it.
            .portable("""
                CREATE TABLE storage_waits (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    order_id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    branch_id {uuid} NOT NULL,
                    number TEXT NOT NULL,
                    ready_stage TEXT NOT NULL,
                    ready_at {timestamp} NOT NULL,
                    collected_at {timestamp},
                    PRIMARY KEY (tenant_id, order_id)
                )
                """),
            .both("CREATE INDEX storage_waits_open_idx ON storage_waits (tenant_id, collected_at, ready_at)"),
        ] + MigrationStatement.tenantPolicy(table: "storage_waits")),
    ]
}
