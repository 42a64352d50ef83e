import Queue
import SQLKit
import Storage

/// At start-up on PostgreSQL: every table with a `tenant_id` column must have row-level security
/// enabled and forced, or the server refuses to run (a module that forgot
/// `MigrationStatement.tenantIsolation` would otherwise leave the second wall open). The queue's
/// tables are the exception by design: workers claim every tenant's jobs.
enum RowSecurityCheck {
    static let crossTenantTables: Set<String> = ["jobs", "job_schedules"]

    static func verify(_ database: any Database) async throws {
        guard database.engine == .postgres else { return }
        let open = try await database.read(.system) { sql in
            try await sql.raw("""
                SELECT c.relname FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
                WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
                ORDER BY c.relname
                """).all().map { try $0.decode(column: "relname", as: String.self) }
        }.filter { !crossTenantTables.contains($0) }
        guard open.isEmpty else {
            throw ConfigurationError("tables with tenant_id but without forced row-level security: \(open.joined(separator: ", ")); "
                                     + "add MigrationStatement.tenantIsolation(table:) to the migration that creates them")
        }
    }
}
