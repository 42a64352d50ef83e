import Contracts

/// The kernel's own schema, in order. Every tenant-owned table leads its keys with `tenant_id` and,
/// on PostgreSQL, carries the row-level-security policy of `MigrationStatement.tenantIsolation`.
public enum KernelMigrations {
    public static let owner = "kernel"

    public static let all: [Migration] = [
        Migration(owner: owner, version: 1, name: "access scope functions", statements: [
            // The scope a transaction runs in, as set by Storage; NULL / false on a bare connection.
            .postgresOnly("""
                CREATE OR REPLACE FUNCTION crm_current_tenant() RETURNS uuid LANGUAGE sql STABLE
                AS $$ SELECT NULLIF(current_setting('crm.tenant_id', true), '')::uuid $$
                """),
            .postgresOnly("""
                CREATE OR REPLACE FUNCTION crm_system_scope() RETURNS boolean LANGUAGE sql STABLE
                AS $$ SELECT coalesce(current_setting('crm.system', true), '') = 'on' $$
                """),
            .postgresOnly("CREATE EXTENSION IF NOT EXISTS pg_trgm"),
        ]),
        Migration(owner: owner, version: 2, name: "tenants and branches", statements: [
            .portable("""
                CREATE TABLE tenants (
                    id {uuid} PRIMARY KEY,
                    slug TEXT NOT NULL,
                    name TEXT NOT NULL,
                    sector TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    locale TEXT NOT NULL,
                    status TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL
                )
                """),
            .both("CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug)"),
            .postgresOnly("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY"),
            .postgresOnly("ALTER TABLE tenants FORCE ROW LEVEL SECURITY"),
            .postgresOnly("""
                CREATE POLICY tenants_tenant_isolation ON tenants
                    USING (crm_system_scope() OR id = crm_current_tenant())
                    WITH CHECK (crm_system_scope() OR id = crm_current_tenant())
                """),
            .portable("""
                CREATE TABLE branches (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    phone TEXT,
                    city TEXT,
                    district TEXT,
                    address_line TEXT,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX branches_code_key ON branches (tenant_id, code)"),
        ] + MigrationStatement.tenantIsolation(table: "branches")),
        Migration(owner: owner, version: 3, name: "users, tokens and login throttling", statements: [
            .portable("""
                CREATE TABLE users (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    email TEXT NOT NULL,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    branch_id {uuid},
                    password_hash TEXT NOT NULL,
                    status TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    last_login_at {timestamp},
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX users_email_key ON users (tenant_id, email)"),
            // Operator tokens have no tenant; user tokens belong to one. Looked up by hash only.
            .portable("""
                CREATE TABLE auth_tokens (
                    token_hash TEXT PRIMARY KEY,
                    id {uuid} NOT NULL,
                    kind TEXT NOT NULL,
                    tenant_id {uuid} REFERENCES tenants (id),
                    user_id {uuid},
                    label TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    expires_at {timestamp} NOT NULL,
                    revoked_at {timestamp},
                    last_used_at {timestamp}
                )
                """),
            .both("CREATE UNIQUE INDEX auth_tokens_id_key ON auth_tokens (id)"),
            .both("CREATE INDEX auth_tokens_user_idx ON auth_tokens (tenant_id, user_id)"),
            .portable("""
                CREATE TABLE login_throttle (
                    key TEXT PRIMARY KEY,
                    failures BIGINT NOT NULL,
                    window_started_at {timestamp} NOT NULL,
                    locked_until {timestamp}
                )
                """),
        ] + MigrationStatement.tenantIsolation(table: "users") + MigrationStatement.tenantIsolation(table: "auth_tokens")),
        Migration(owner: owner, version: 4, name: "customers", statements: [
            .portable("""
                CREATE TABLE counters (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    name TEXT NOT NULL,
                    value BIGINT NOT NULL,
                    PRIMARY KEY (tenant_id, name)
                )
                """),
            .portable("""
                CREATE TABLE customer_types (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    position BIGINT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, code)
                )
                """),
            .portable("""
                CREATE TABLE customers (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    seq BIGINT NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    email TEXT,
                    customer_type TEXT NOT NULL,
                    preferred_channel TEXT NOT NULL,
                    branch_id {uuid} NOT NULL,
                    city TEXT,
                    district TEXT,
                    neighbourhood TEXT,
                    address_line TEXT,
                    postal_code TEXT,
                    notes TEXT,
                    tags {json} NOT NULL,
                    search_text TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    deleted_at {timestamp},
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_type) REFERENCES customer_types (tenant_id, code)
                )
                """),
            .both("CREATE UNIQUE INDEX customers_code_key ON customers (tenant_id, code)"),
            .both("CREATE INDEX customers_seq_idx ON customers (tenant_id, seq)"),
            .both("CREATE INDEX customers_branch_seq_idx ON customers (tenant_id, branch_id, seq)"),
            .postgresOnly("CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops)"),
            .portable("""
                CREATE TABLE customer_phones (
                    tenant_id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    position BIGINT NOT NULL,
                    number TEXT NOT NULL,
                    label TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, customer_id, position),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
                )
                """),
            .both("CREATE INDEX customer_phones_number_idx ON customer_phones (tenant_id, number)"),
        ] + ["counters", "customer_types", "customers", "customer_phones"].flatMap(MigrationStatement.tenantIsolation(table:))),
        Migration(owner: owner, version: 5, name: "audit log", statements: [
            // Tenant-less rows are operator actions on no tenant in particular (e.g. issuing a token).
            .portable("""
                CREATE TABLE audit_log (
                    tenant_id {uuid},
                    id {uuid} NOT NULL PRIMARY KEY,
                    at {timestamp} NOT NULL,
                    actor_kind TEXT NOT NULL,
                    actor_id TEXT,
                    actor_label TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT,
                    before {json},
                    after {json},
                    request_id TEXT,
                    address TEXT
                )
                """),
            .both("CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at)"),
            .both("CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity, entity_id)"),
            // Append-only on both engines: history cannot be edited or erased through the application.
            .postgresOnly("""
                CREATE FUNCTION crm_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """),
            .postgresOnly("""
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION crm_audit_log_append_only()
                """),
            MigrationStatement(sqlite: """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """, postgres: nil),
            MigrationStatement(sqlite: """
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """, postgres: nil),
        ] + MigrationStatement.tenantIsolation(table: "audit_log")),
        Migration(owner: owner, version: 6, name: "catalog, settings and customer-type pricing", statements: [
            // Tenant overrides of the sector catalog, and services the tenant adds itself.
            .portable("""
                CREATE TABLE catalog_items (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    code TEXT NOT NULL,
                    name_tr TEXT,
                    name_en TEXT,
                    kind TEXT,
                    unit TEXT,
                    price BIGINT,
                    surcharge_bp BIGINT,
                    variant_prices {json},
                    vat_bp BIGINT,
                    item_group TEXT,
                    active {bool} NOT NULL,
                    custom {bool} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, code)
                )
                """),
            .portable("""
                CREATE TABLE tenant_settings (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    key TEXT NOT NULL,
                    value BIGINT NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, key)
                )
                """),
            .both("ALTER TABLE customer_types ADD COLUMN discount_bp BIGINT NOT NULL DEFAULT 0"),
            .portable("ALTER TABLE customer_types ADD COLUMN price_list {json} NOT NULL DEFAULT '{}'"),
        ] + ["catalog_items", "tenant_settings"].flatMap(MigrationStatement.tenantIsolation(table:))),
        Migration(owner: owner, version: 7, name: "orders, tagged items and their history", statements: [
            .portable("""
                CREATE TABLE orders (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    seq BIGINT NOT NULL,
                    number TEXT NOT NULL,
                    customer_id {uuid} NOT NULL,
                    branch_id {uuid} NOT NULL,
                    stage TEXT NOT NULL,
                    promised_at {timestamp} NOT NULL,
                    notes TEXT,
                    pickup_address {json},
                    delivery_address {json},
                    courier_id {uuid},
                    customer_type TEXT NOT NULL,
                    discount_bp BIGINT NOT NULL,
                    adjustments {json} NOT NULL,
                    gross BIGINT NOT NULL,
                    discount BIGINT NOT NULL,
                    adjustment_total BIGINT NOT NULL,
                    total BIGINT NOT NULL,
                    net BIGINT NOT NULL,
                    vat BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    created_by {uuid} NOT NULL,
                    created_at {timestamp} NOT NULL,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
                    FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX orders_number_key ON orders (tenant_id, number)"),
            .both("CREATE INDEX orders_seq_idx ON orders (tenant_id, seq)"),
            .both("CREATE INDEX orders_customer_idx ON orders (tenant_id, customer_id, seq)"),
            .both("CREATE INDEX orders_branch_stage_idx ON orders (tenant_id, branch_id, stage)"),
            .portable("""
                CREATE TABLE order_items (
                    tenant_id {uuid} NOT NULL,
                    id {uuid} NOT NULL,
                    order_id {uuid} NOT NULL,
                    position BIGINT NOT NULL,
                    tag_code TEXT NOT NULL,
                    service_code TEXT NOT NULL,
                    service_name TEXT NOT NULL,
                    item_group TEXT,
                    unit TEXT NOT NULL,
                    quantity BIGINT NOT NULL,
                    width_cm BIGINT,
                    length_cm BIGINT,
                    attributes {json} NOT NULL,
                    add_ons {json} NOT NULL,
                    note TEXT,
                    unit_price BIGINT NOT NULL,
                    base BIGINT NOT NULL,
                    gross BIGINT NOT NULL,
                    discount BIGINT NOT NULL,
                    total BIGINT NOT NULL,
                    vat_bp BIGINT NOT NULL,
                    net BIGINT NOT NULL,
                    vat BIGINT NOT NULL,
                    stage TEXT NOT NULL,
                    stage_since {timestamp} NOT NULL,
                    branch_id {uuid} NOT NULL,
                    holder_id {uuid},
                    rework_count BIGINT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX order_items_tag_key ON order_items (tenant_id, tag_code)"),
            .both("CREATE INDEX order_items_order_idx ON order_items (tenant_id, order_id, position)"),
            .portable("""
                CREATE TABLE item_events (
                    tenant_id {uuid} NOT NULL,
                    id {uuid} NOT NULL,
                    item_id {uuid} NOT NULL,
                    order_id {uuid} NOT NULL,
                    ordinal BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    from_stage TEXT,
                    to_stage TEXT NOT NULL,
                    reason TEXT,
                    user_id {uuid},
                    branch_id {uuid},
                    at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX item_events_item_key ON item_events (tenant_id, item_id, ordinal)"),
            // The outbox of things that happened; the queue turns notifying ones into jobs.
            .portable("""
                CREATE TABLE domain_events (
                    tenant_id {uuid} NOT NULL,
                    id {uuid} NOT NULL,
                    kind TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    payload {json} NOT NULL,
                    occurred_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """),
            .both("CREATE INDEX domain_events_occurred_idx ON domain_events (tenant_id, occurred_at)"),
        ] + ["orders", "order_items", "item_events", "domain_events"].flatMap(MigrationStatement.tenantIsolation(table:))),
        Migration(owner: owner, version: 8, name: "audit rows carry their branch; events their order", statements: [
            .portable("ALTER TABLE audit_log ADD COLUMN branch_id {uuid}"),
            .both("CREATE INDEX audit_log_branch_at_idx ON audit_log (tenant_id, branch_id, at)"),
            // Events of one change share their time; their place in the change orders them.
            .both("ALTER TABLE domain_events ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0"),
        ]),
        Migration(owner: owner, version: 9, name: "typed settings with owners and encrypted secrets", statements: [
            .portable("""
                CREATE TABLE settings (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    owner TEXT NOT NULL,
                    key TEXT NOT NULL,
                    integer_value BIGINT,
                    text_value TEXT,
                    secret_value TEXT,
                    updated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, owner, key)
                )
                """),
            // Until now every setting was its tenant's sector module's.
            .both("""
                INSERT INTO settings (tenant_id, owner, key, integer_value, updated_at)
                SELECT s.tenant_id, t.sector, s.key, s.value, s.updated_at FROM tenant_settings s JOIN tenants t ON t.id = s.tenant_id
                """),
            .both("DROP TABLE tenant_settings"),
        ] + MigrationStatement.tenantIsolation(table: "settings")),
        Migration(owner: owner, version: 10, name: "a revocation counter per tenant, kept by triggers", statements: [
            // Cached sign-ins stay valid only while their tenant's counter is unchanged; the triggers
            // move it in the transaction of every change that can end or narrow a session, whichever
            // code (or process) makes it.
            .portable("""
                CREATE TABLE auth_epochs (
                    tenant_id {uuid} NOT NULL PRIMARY KEY REFERENCES tenants (id),
                    epoch BIGINT NOT NULL
                )
                """),
            .postgresOnly("""
                CREATE FUNCTION crm_bump_auth_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    tenant uuid;
                BEGIN
                    IF TG_TABLE_NAME = 'tenants' THEN tenant := NEW.id; ELSE tenant := NEW.tenant_id; END IF;
                    IF tenant IS NOT NULL THEN
                        INSERT INTO auth_epochs (tenant_id, epoch) VALUES (tenant, 1)
                        ON CONFLICT (tenant_id) DO UPDATE SET epoch = auth_epochs.epoch + 1;
                    END IF;
                    RETURN NULL;
                END $$
                """),
            .postgresOnly("""
                CREATE TRIGGER auth_tokens_revoked AFTER UPDATE ON auth_tokens FOR EACH ROW
                WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION crm_bump_auth_epoch()
                """),
            .postgresOnly("""
                CREATE TRIGGER users_reach_changed AFTER UPDATE ON users FOR EACH ROW
                WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.branch_id IS DISTINCT FROM NEW.branch_id
                      OR OLD.status IS DISTINCT FROM NEW.status OR OLD.name IS DISTINCT FROM NEW.name
                      OR OLD.email IS DISTINCT FROM NEW.email OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
                EXECUTE FUNCTION crm_bump_auth_epoch()
                """),
            .postgresOnly("""
                CREATE TRIGGER tenants_standing_changed AFTER UPDATE ON tenants FOR EACH ROW
                WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.sector IS DISTINCT FROM NEW.sector)
                EXECUTE FUNCTION crm_bump_auth_epoch()
                """),
        ] + Self.sqliteEpochTriggers + MigrationStatement.tenantIsolation(table: "auth_epochs")),
        Migration(owner: owner, version: 11, name: "tenant policies read the scope once per statement", statements: [
            // `crm_current_tenant()` inlines to current_setting(…)::uuid, which the policy evaluated
            // for every row a scan visits; as a subquery it is an init plan, evaluated once. A
            // customer search over 100,000 cards: 25 ms a statement before, 8 ms after. The rule is
            // the same; tables created later keep the plain form, which is as strict.
            .postgresOnly("""
                ALTER POLICY tenants_tenant_isolation ON tenants
                    USING ((SELECT crm_system_scope()) OR id = (SELECT crm_current_tenant()))
                    WITH CHECK ((SELECT crm_system_scope()) OR id = (SELECT crm_current_tenant()))
                """),
            .postgresOnly("""
                DO $$
                DECLARE policy record;
                BEGIN
                    FOR policy IN SELECT tablename, policyname FROM pg_policies
                                  WHERE schemaname = current_schema() AND tablename <> 'tenants'
                                    AND policyname = tablename || '_tenant_isolation'
                    LOOP
                        EXECUTE format('ALTER POLICY %I ON %I
                            USING ((SELECT crm_system_scope()) OR tenant_id = (SELECT crm_current_tenant()))
                            WITH CHECK ((SELECT crm_system_scope()) OR tenant_id = (SELECT crm_current_tenant()))',
                            policy.policyname, policy.tablename);
                    END LOOP;
                END $$
                """),
        ]),
        Migration(owner: owner, version: 12, name: "a customer's form of address", statements: [
            .both("ALTER TABLE customers ADD COLUMN salutation TEXT"),
        ]),
    ]

    /// SQLite's triggers run statements, not functions: one per watched table.
    private static let sqliteEpochTriggers: [MigrationStatement] = [
        ("auth_tokens_revoked", "auth_tokens", "OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL AND NEW.tenant_id IS NOT NULL", "NEW.tenant_id"),
        ("users_reach_changed", "users", """
            OLD.role IS NOT NEW.role OR OLD.branch_id IS NOT NEW.branch_id OR OLD.status IS NOT NEW.status
            OR OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.password_hash IS NOT NEW.password_hash
            """, "NEW.tenant_id"),
        ("tenants_standing_changed", "tenants", "OLD.status IS NOT NEW.status OR OLD.sector IS NOT NEW.sector", "NEW.id"),
    ].map { name, table, condition, tenant in
        MigrationStatement(sqlite: """
            CREATE TRIGGER \(name) AFTER UPDATE ON \(table) FOR EACH ROW WHEN \(condition)
            BEGIN
                INSERT INTO auth_epochs (tenant_id, epoch) VALUES (\(tenant), 1)
                ON CONFLICT (tenant_id) DO UPDATE SET epoch = epoch + 1;
            END
            """, postgres: nil)
    }
}
