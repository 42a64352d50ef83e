import Contracts

/// The notification module's own tables, on their own migration line (owner `notify`).
public enum NotifyMigrations {
    public static let owner = "notify"

    public static let all: [Migration] = [
        Migration(owner: owner, version: 1, name: "consent history and the message log", statements: [
            // Consent (KVKK / İYS): every grant and withdrawal, never changed or removed. What holds
            // now is the latest row per customer, channel and purpose.
            .portable("""
                CREATE TABLE notify_consents (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    channel TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    granted {bool} NOT NULL,
                    source TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    note TEXT,
                    recorded_at {timestamp} NOT NULL,
                    seq BIGINT NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE INDEX notify_consents_customer_idx ON notify_consents (tenant_id, customer_id, channel, purpose, seq)"),
        ] + MigrationStatement.appendOnly(table: "notify_consents", message: "consent history is append-only") + [
            // One row per message and channel tried: written before the provider is called, so a
            // crash after the provider took it leaves the row (and no second send).
            .portable("""
                CREATE TABLE notify_messages (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    dedupe_key TEXT NOT NULL,
                    customer_id {uuid} NOT NULL,
                    order_id {uuid},
                    message TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    recipient TEXT,
                    body TEXT,
                    encoding TEXT,
                    segments BIGINT,
                    cost_units BIGINT,
                    status TEXT NOT NULL,
                    reason TEXT,
                    provider TEXT,
                    provider_id TEXT,
                    attempts BIGINT NOT NULL,
                    job_id BIGINT,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    sent_at {timestamp},
                    delivered_at {timestamp},
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX notify_messages_dedupe_key ON notify_messages (tenant_id, dedupe_key, channel)"),
            .both("CREATE INDEX notify_messages_customer_idx ON notify_messages (tenant_id, customer_id, created_at)"),
            .both("CREATE INDEX notify_messages_provider_idx ON notify_messages (provider, provider_id)"),
            .both("CREATE INDEX notify_messages_open_idx ON notify_messages (tenant_id, provider, status)"),
            // Where the polling of a provider got to (the last inbound message read, per tenant).
            .portable("""
                CREATE TABLE notify_cursors (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    name TEXT NOT NULL,
                    position TEXT NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, name)
                )
                """),
        ] + ["notify_consents", "notify_messages", "notify_cursors"].flatMap(MigrationStatement.tenantPolicy(table:))),
        Migration(owner: owner, version: 2, name: "WhatsApp service windows", statements: [
            // When a customer last wrote to the business on WhatsApp: free text may go out for 24 hours after.
            .portable("""
                CREATE TABLE notify_whatsapp_windows (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    phone TEXT NOT NULL,
                    last_inbound_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, phone)
                )
                """),
        ] + MigrationStatement.tenantPolicy(table: "notify_whatsapp_windows")),
        Migration(owner: owner, version: 3, name: "appointments", statements: [
            // A slot booked at a branch for a customer; its reminders are jobs.
            .portable("""
                CREATE TABLE notify_appointments (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    branch_id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    kind TEXT NOT NULL,
                    starts_at {timestamp} NOT NULL,
                    minutes BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    note TEXT,
                    version BIGINT NOT NULL,
                    created_by {uuid} NOT NULL,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE INDEX notify_appointments_slot_idx ON notify_appointments (tenant_id, branch_id, starts_at)"),
            .both("CREATE INDEX notify_appointments_customer_idx ON notify_appointments (tenant_id, customer_id, starts_at)"),
        ] + MigrationStatement.tenantPolicy(table: "notify_appointments")),
        Migration(owner: owner, version: 4, name: "tenants' own wording of messages", statements: [
            // channel '' is the wording for every channel without its own, as in the sector's templates.
            .portable("""
                CREATE TABLE notify_templates (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    message TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    language TEXT NOT NULL,
                    body TEXT NOT NULL,
                    subject TEXT,
                    updated_by {uuid} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, message, channel, language)
                )
                """),
        ] + MigrationStatement.tenantPolicy(table: "notify_templates")),
        // The workers write the log in batches. On PostgreSQL each row's foreign-key checks cost
        // more than the row itself: the check of the customer takes a FOR KEY SHARE lock on the
        // customer's row (about 80 µs a row, 80 % of a batch's insert). Rows are written only for
        // customers read in the same batch, and customers and tenants are never deleted (a card is
        // marked deleted), so the checks guard nothing there. SQLite's checks take no locks and stay.
        Migration(owner: owner, version: 5, name: "the message log without per-row foreign-key checks on PostgreSQL", statements: [
            .postgresOnly("""
                ALTER TABLE notify_messages DROP CONSTRAINT notify_messages_tenant_id_fkey,
                    DROP CONSTRAINT notify_messages_tenant_id_customer_id_fkey
                """),
        ]),
        // A message is written `sending` and then updated once the provider answers. The indexes
        // on the provider's id and on the messages awaiting a report hold only the rows they are
        // for, so the first write goes to three indexes, not five. The log's machine words
        // compare as bytes on PostgreSQL rather than by the database's locale (a `tr_TR`
        // collation would make every index comparison of a key a locale comparison).
        Migration(owner: owner, version: 6, name: "the message log's indexes hold only the rows they are for", statements: [
            .both("DROP INDEX notify_messages_provider_idx"),
            .both("DROP INDEX notify_messages_open_idx"),
            .postgresOnly("""
                ALTER TABLE notify_messages ALTER COLUMN dedupe_key TYPE TEXT COLLATE "C", ALTER COLUMN channel TYPE TEXT COLLATE "C",
                    ALTER COLUMN status TYPE TEXT COLLATE "C", ALTER COLUMN provider TYPE TEXT COLLATE "C",
                    ALTER COLUMN provider_id TYPE TEXT COLLATE "C"
                """),
            .both("CREATE INDEX notify_messages_provider_idx ON notify_messages (provider, provider_id) WHERE provider_id IS NOT NULL"),
            .both("CREATE INDEX notify_messages_open_idx ON notify_messages (tenant_id, provider, sent_at) WHERE status = 'sent'"),
        ]),
        // A WhatsApp status can come before the send that it is about is recorded (Meta answers the
        // call and calls the webhook at once). It waits here, one row per message and status, until
        // the send is recorded; rows a day old are dropped (a message of another system).
        Migration(owner: owner, version: 7, name: "WhatsApp statuses that came before their send was recorded", statements: [
            .portable("""
                CREATE TABLE notify_whatsapp_early (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    provider_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    error_code BIGINT,
                    error_text TEXT,
                    received_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, provider_id, status)
                )
                """),
        ] + MigrationStatement.tenantPolicy(table: "notify_whatsapp_early")),
        // When the reports of a provider's job (one Netgsm request, many messages) were last asked
        // for: a poll asks for the longest-waiting jobs first and moves the ones still pending to
        // the back by one row each, not by touching every message they hold.
        Migration(owner: owner, version: 8, name: "when each provider job's delivery report was last asked for", statements: [
            .portable("""
                CREATE TABLE notify_report_polls (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    provider TEXT NOT NULL,
                    provider_id TEXT NOT NULL,
                    polled_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, provider, provider_id)
                )
                """),
            // Compared with the log's own columns, which compare as bytes (version 6).
            .postgresOnly("""
                ALTER TABLE notify_report_polls ALTER COLUMN provider TYPE TEXT COLLATE "C", ALTER COLUMN provider_id TYPE TEXT COLLATE "C"
                """),
        ] + MigrationStatement.tenantPolicy(table: "notify_report_polls")),
    ]
}
