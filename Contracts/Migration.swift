/// One versioned schema change owned by the kernel or by a sector module.
///
/// Storage applies every owner's migrations in version order, each in its own transaction, and records
/// them in `schema_migrations`. An applied migration must never change: its checksum is verified at
/// every start.
public struct Migration: Sendable {
    /// `kernel`, or a sector module's id.
    public let owner: String
    /// Strictly increasing per owner, starting at 1.
    public let version: Int
    /// Short description, e.g. `customers`.
    public let name: String
    public let statements: [MigrationStatement]

    public init(owner: String, version: Int, name: String, statements: [MigrationStatement]) {
        self.owner = owner
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// One SQL statement, written once when both engines accept it, or per engine.
public struct MigrationStatement: Sendable, Hashable {
    /// SQL for SQLite, or nil when the statement does not apply there.
    public let sqlite: String?
    /// SQL for PostgreSQL, or nil when the statement does not apply there.
    public let postgres: String?

    public init(sqlite: String?, postgres: String?) {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// The same SQL on both engines.
    public static func both(_ sql: String) -> MigrationStatement {
        MigrationStatement(sqlite: sql, postgres: sql)
    }

    /// SQL both engines run, with portable column types written as placeholders:
    /// `{uuid}` (uuid | TEXT), `{timestamp}` (timestamptz | REAL, seconds since 1970),
    /// `{json}` (jsonb | TEXT) and `{bool}` (boolean | INTEGER). Use TEXT and BIGINT as they are.
    public static func portable(_ sql: String) -> MigrationStatement {
        var sqlite = sql
        var postgres = sql
        for (token, sqliteType, postgresType) in portableTypes {
            sqlite = sqlite.replacingAll(token, with: sqliteType)
            postgres = postgres.replacingAll(token, with: postgresType)
        }
        return MigrationStatement(sqlite: sqlite, postgres: postgres)
    }

    private static let portableTypes = [
        ("{uuid}", "TEXT", "uuid"),
        ("{timestamp}", "REAL", "timestamptz"),
        ("{json}", "TEXT", "jsonb"),
        ("{bool}", "INTEGER", "boolean"),
    ]

    /// SQL that only SQLite runs (its own form of a trigger, say).
    public static func sqliteOnly(_ sql: String) -> MigrationStatement {
        MigrationStatement(sqlite: sql, postgres: nil)
    }

    /// SQL that only PostgreSQL runs (row-level security, extensions, …).
    public static func postgresOnly(_ sql: String) -> MigrationStatement {
        MigrationStatement(sqlite: nil, postgres: sql)
    }

    /// Row-level security for a table with a `tenant_id` column: on PostgreSQL the table only shows
    /// (and only accepts) the rows of the tenant the transaction is scoped to. Every tenant-owned
    /// table a module adds must carry this, so that the database is a second wall behind the
    /// application's own scoping.
    public static func tenantIsolation(table: String) -> [MigrationStatement] {
        isolation(table: table, using: "crm_system_scope() OR tenant_id = crm_current_tenant()")
    }

    /// `tenantIsolation` as tables created from kernel migration 11 on carry it: the scope read once
    /// per statement (an init plan) rather than once per row. The same rule, cheaper to check.
    public static func tenantPolicy(table: String) -> [MigrationStatement] {
        isolation(table: table, using: "(SELECT crm_system_scope()) OR tenant_id = (SELECT crm_current_tenant())")
    }

    /// A table whose rows are never changed or removed (a history, a ledger): the database itself
    /// refuses an UPDATE or DELETE with `message`, on SQLite by two triggers, on PostgreSQL by one
    /// trigger and its function.
    public static func appendOnly(table: String, message: String) -> [MigrationStatement] {
        [
            .sqliteOnly("CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END"),
            .sqliteOnly("CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END"),
            .postgresOnly("""
                CREATE OR REPLACE FUNCTION \(table)_append_only() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION '\(message)'; END $$
                """),
            .postgresOnly("""
                CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table)
                    FOR EACH ROW EXECUTE FUNCTION \(table)_append_only()
                """),
        ]
    }

    private static func isolation(table: String, using rule: String) -> [MigrationStatement] {
        [
            .postgresOnly("ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY"),
            .postgresOnly("ALTER TABLE \(table) FORCE ROW LEVEL SECURITY"),
            .postgresOnly("""
                CREATE POLICY \(table)_tenant_isolation ON \(table)
                    USING (\(rule))
                    WITH CHECK (\(rule))
                """),
        ]
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
