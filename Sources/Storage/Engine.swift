import Foundation

/// The two storage engines the product runs on, with one code path.
public enum Engine: String, Sendable, CaseIterable {
    /// Embedded default: one file, one process.
    case sqlite
    /// Production store and the job queue's home.
    case postgres
}

/// Which rows a transaction may see and write.
///
/// On PostgreSQL the scope is set on the transaction (`crm.tenant_id` / `crm.system`) and row-level
/// security enforces it; on both engines the application's queries also filter by tenant.
public enum AccessScope: Sendable, Equatable, CustomStringConvertible {
    /// One tenant's rows only.
    case tenant(UUID)
    /// Across tenants: operator actions, authentication look-ups, migrations, maintenance.
    case system

    public var description: String {
        switch self {
        case .tenant(let id): "tenant \(id)"
        case .system: "system"
        }
    }
}
