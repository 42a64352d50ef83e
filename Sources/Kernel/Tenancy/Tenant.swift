import Foundation
import SQLKit

/// A business using the product: one sector, one time zone, its own users, branches and customers.
public struct Tenant: Sendable, Codable, Equatable {
    public let id: UUID
    /// Short name used at login and in URLs, e.g. `moda-merkez`.
    public let slug: String
    public let name: String
    /// The id of the sector module the tenant works with.
    public let sector: String
    /// IANA time zone that times are shown in (stored times are UTC).
    public let timeZone: String
    /// Language of texts the tenant's customers receive: `tr` or `en`.
    public let locale: String
    public let status: Status
    public let createdAt: Date

    public enum Status: String, Sendable, Codable {
        case active, suspended
    }

    init(id: UUID, slug: String, name: String, sector: String, timeZone: String, locale: String, status: Status, createdAt: Date) {
        self.id = id
        self.slug = slug
        self.name = name
        self.sector = sector
        self.timeZone = timeZone
        self.locale = locale
        self.status = status
        self.createdAt = createdAt
    }

    static let columns = "id, slug, name, sector, time_zone, locale, status, created_at"

    /// Reads the columns of `columns`, each named with `prefix` before it when the row holds them
    /// under other names (a join that also selects another table's `id`, `name`…).
    init(row: any SQLRow, prefix: String = "") throws {
        id = try row.decode(column: prefix + "id", as: UUID.self)
        slug = try row.decode(column: prefix + "slug", as: String.self)
        name = try row.decode(column: prefix + "name", as: String.self)
        sector = try row.decode(column: prefix + "sector", as: String.self)
        timeZone = try row.decode(column: prefix + "time_zone", as: String.self)
        locale = try row.decode(column: prefix + "locale", as: String.self)
        status = try StoredValue.parse(Status.self, try row.decode(column: prefix + "status", as: String.self), column: "tenants.status")
        createdAt = try row.decode(column: prefix + "created_at", as: Date.self)
    }

    /// `columns` of the table aliased `table`, each renamed with `prefix`.
    static func columns(of table: String, prefix: String) -> String {
        columns.split(separator: ", ").map { "\(table).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }
}
