import Contracts

/// The loyalty module's own tables, on their own migration line (owner `loyalty`).
public enum LoyaltyMigrations {
    public static let owner = "loyalty"

    public static let all: [Migration] = [
        Migration(owner: owner, version: 1, name: "points by lots", statements: [
            // Every movement of a customer's points, never changed or removed. Points come in lots
            // (an earn or a load: `lot_id` is null, `points` positive, with the moment they lapse);
            // everything that takes points away (a redemption, an expiry, a removal) names the lot
            // it takes them from. A lot's remaining points are its own plus what names it; the
            // balance is the sum of every entry.
            .portable("""
                CREATE TABLE loyalty_entries (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    kind TEXT NOT NULL,
                    points BIGINT NOT NULL,
                    lot_id {uuid},
                    expires_at {timestamp},
                    order_id {uuid},
                    reason TEXT,
                    source_key TEXT,
                    occurred_at {timestamp} NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
                    FOREIGN KEY (tenant_id, lot_id) REFERENCES loyalty_entries (tenant_id, id),
                    CHECK ((lot_id IS NULL AND points > 0 AND expires_at IS NOT NULL) OR (lot_id IS NOT NULL AND points < 0))
                )
                """),
            .both("CREATE INDEX loyalty_entries_customer_idx ON loyalty_entries (tenant_id, customer_id, occurred_at)"),
            .both("CREATE INDEX loyalty_entries_lot_idx ON loyalty_entries (tenant_id, lot_id)"),
            .both("CREATE INDEX loyalty_entries_expiry_idx ON loyalty_entries (tenant_id, expires_at)"),
            // What posts itself (an order's points, a lot's expiry) posts once, however many run.
            .both("CREATE UNIQUE INDEX loyalty_entries_source_key ON loyalty_entries (tenant_id, source_key)"),
        ] + MigrationStatement.appendOnly(table: "loyalty_entries", message: "loyalty entries are append-only")
          + MigrationStatement.tenantPolicy(table: "loyalty_entries")),
        Migration(owner: owner, version: 2, name: "coupons", statements: [
            // Single-use codes, for one customer or anyone: a value in kuruş or a percentage, a
            // validity window and a minimum basket. `status` moves once, from issued to redeemed
            // or cancelled, by a compare-and-set on it.
            .portable("""
                CREATE TABLE loyalty_coupons (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    code TEXT NOT NULL,
                    batch_id {uuid} NOT NULL,
                    customer_id {uuid},
                    kind TEXT NOT NULL,
                    value BIGINT NOT NULL,
                    minimum_basket BIGINT,
                    valid_from {timestamp} NOT NULL,
                    valid_until {timestamp} NOT NULL,
                    status TEXT NOT NULL,
                    discount BIGINT,
                    order_id {uuid},
                    changed_by TEXT,
                    changed_at {timestamp},
                    created_by TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX loyalty_coupons_code ON loyalty_coupons (tenant_id, code)"),
            .both("CREATE INDEX loyalty_coupons_customer_idx ON loyalty_coupons (tenant_id, customer_id, status)"),
        ] + MigrationStatement.tenantPolicy(table: "loyalty_coupons")),
        Migration(owner: owner, version: 3, name: "cash registers and their sales", statements: [
            // A till or partner system the owner let in: its key is stored only as a SHA-256 hash
            // (the hint is the key's last four characters, to tell keys apart). Revoking it moves
            // the tenant's revocation counter, as a revoked sign-in does, so that no process goes on
            // trusting a cached key.
            .portable("""
                CREATE TABLE pos_devices (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    name TEXT NOT NULL,
                    branch_id {uuid} NOT NULL,
                    key_hash TEXT NOT NULL,
                    key_hint TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    last_used_at {timestamp},
                    revoked_at {timestamp},
                    revoked_by TEXT,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX pos_devices_key ON pos_devices (key_hash)"),
            .postgresOnly("""
                CREATE TRIGGER pos_devices_revoked AFTER UPDATE ON pos_devices FOR EACH ROW
                WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION crm_bump_auth_epoch()
                """),
            .sqliteOnly("""
                CREATE TRIGGER pos_devices_revoked AFTER UPDATE ON pos_devices FOR EACH ROW
                WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
                BEGIN
                    INSERT INTO auth_epochs (tenant_id, epoch) VALUES (NEW.tenant_id, 1)
                    ON CONFLICT (tenant_id) DO UPDATE SET epoch = epoch + 1;
                END
                """),
            // A sale a till recorded, once per (device, idempotency key): the request's fingerprint
            // tells a retry from a different sale under a reused key, and the answer is kept whole so
            // that a retry gets the very same one.
            .portable("""
                CREATE TABLE pos_sales (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    device_id {uuid} NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    branch_id {uuid} NOT NULL,
                    customer_id {uuid},
                    amount BIGINT NOT NULL,
                    discount BIGINT NOT NULL,
                    coupon_id {uuid},
                    receipt TEXT,
                    points BIGINT NOT NULL,
                    answer {json} NOT NULL,
                    occurred_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, device_id) REFERENCES pos_devices (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX pos_sales_idempotency ON pos_sales (tenant_id, device_id, idempotency_key)"),
            .both("CREATE INDEX pos_sales_customer_idx ON pos_sales (tenant_id, customer_id, occurred_at)"),
        ] + MigrationStatement.tenantPolicy(table: "pos_devices") + MigrationStatement.tenantPolicy(table: "pos_sales")),
        Migration(owner: owner, version: 4, name: "campaigns", statements: [
            // A campaign's wording, audience and schedule; `runs` counts the runs made, `next_run_at`
            // is when the next goes (null when none is ahead).
            .portable("""
                CREATE TABLE loyalty_campaigns (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    name TEXT NOT NULL,
                    body TEXT NOT NULL,
                    subject TEXT,
                    channel TEXT NOT NULL,
                    customer_type TEXT,
                    branch_id {uuid},
                    inactive_days BIGINT,
                    starts_at {timestamp} NOT NULL,
                    repeat_days BIGINT,
                    status TEXT NOT NULL,
                    runs BIGINT NOT NULL,
                    next_run_at {timestamp},
                    created_by TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """),
            .both("CREATE INDEX loyalty_campaigns_created_idx ON loyalty_campaigns (tenant_id, created_at)"),
            // Who each run picked, with the message log's key of their message: the report joins the
            // two, and a run that starts again picks no one twice.
            .portable("""
                CREATE TABLE loyalty_campaign_targets (
                    tenant_id {uuid} NOT NULL,
                    campaign_id {uuid} NOT NULL,
                    run BIGINT NOT NULL,
                    customer_id {uuid} NOT NULL,
                    message_key TEXT NOT NULL,
                    targeted_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, campaign_id, run, customer_id),
                    FOREIGN KEY (tenant_id, campaign_id) REFERENCES loyalty_campaigns (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
        ] + MigrationStatement.tenantPolicy(table: "loyalty_campaigns") + MigrationStatement.tenantPolicy(table: "loyalty_campaign_targets")),
        Migration(owner: owner, version: 5, name: "stamp cards", statements: [
            // A card's rule: `services` (a JSON array of catalog codes; empty for every purchase)
            // earn a stamp per item, and `stamps_needed` stamps are exchanged for a coupon.
            .portable("""
                CREATE TABLE loyalty_stamp_cards (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    id {uuid} NOT NULL,
                    name TEXT NOT NULL,
                    stamps_needed BIGINT NOT NULL,
                    services {json} NOT NULL,
                    reward_amount BIGINT NOT NULL,
                    reward_valid_days BIGINT NOT NULL,
                    active {bool} NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id)
                )
                """),
            // Every stamp earned (positive, once per purchase and card: `source_key`) and every
            // exchange (negative, naming the coupon it issued). Never changed or removed.
            .portable("""
                CREATE TABLE loyalty_stamps (
                    tenant_id {uuid} NOT NULL,
                    id {uuid} NOT NULL,
                    card_id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    stamps BIGINT NOT NULL,
                    source_key TEXT NOT NULL,
                    coupon_id {uuid},
                    occurred_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, card_id) REFERENCES loyalty_stamp_cards (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
                    CHECK ((stamps > 0 AND coupon_id IS NULL) OR (stamps < 0 AND coupon_id IS NOT NULL))
                )
                """),
            .both("CREATE UNIQUE INDEX loyalty_stamps_source_key ON loyalty_stamps (tenant_id, source_key)"),
            .both("CREATE INDEX loyalty_stamps_customer_idx ON loyalty_stamps (tenant_id, customer_id, card_id)"),
        ] + MigrationStatement.appendOnly(table: "loyalty_stamps", message: "stamps are append-only")
          + MigrationStatement.tenantPolicy(table: "loyalty_stamp_cards") + MigrationStatement.tenantPolicy(table: "loyalty_stamps")),
        Migration(owner: owner, version: 6, name: "tiers", statements: [
            // The owner's ladder: a tier is held from `minimum_spend` kuruş over the rolling year.
            .portable("""
                CREATE TABLE loyalty_tiers (
                    tenant_id {uuid} NOT NULL REFERENCES tenants (id),
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    minimum_spend BIGINT NOT NULL,
                    points_multiplier BIGINT NOT NULL,
                    PRIMARY KEY (tenant_id, code)
                )
                """),
            .both("CREATE UNIQUE INDEX loyalty_tiers_minimum ON loyalty_tiers (tenant_id, minimum_spend)"),
            // What each purchase cost the customer (a handed-over order, a till sale), once each; never changed.
            .portable("""
                CREATE TABLE loyalty_spend (
                    tenant_id {uuid} NOT NULL,
                    id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    amount BIGINT NOT NULL,
                    source_key TEXT NOT NULL,
                    occurred_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
            .both("CREATE UNIQUE INDEX loyalty_spend_source_key ON loyalty_spend (tenant_id, source_key)"),
            .both("CREATE INDEX loyalty_spend_customer_idx ON loyalty_spend (tenant_id, customer_id, occurred_at)"),
            .both("CREATE INDEX loyalty_spend_occurred_idx ON loyalty_spend (tenant_id, occurred_at)"),
            // Each customer's spend over the year before `evaluated_at`.
            .portable("""
                CREATE TABLE loyalty_standing (
                    tenant_id {uuid} NOT NULL,
                    customer_id {uuid} NOT NULL,
                    year_spend BIGINT NOT NULL,
                    evaluated_at {timestamp} NOT NULL,
                    PRIMARY KEY (tenant_id, customer_id),
                    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                )
                """),
        ] + MigrationStatement.appendOnly(table: "loyalty_spend", message: "spend records are append-only")
          + ["loyalty_tiers", "loyalty_spend", "loyalty_standing"].flatMap(MigrationStatement.tenantPolicy(table:))),
    ]
}
