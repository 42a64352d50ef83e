import Foundation
import NIOSSL
import PostgresNIO

/// Where the data lives, as given by `CRM_DATABASE_URL` / `--database-url`.
///
/// - unset: the embedded default, `./crm-data/crm.sqlite`;
/// - `sqlite:PATH` (also `sqlite://PATH`): an SQLite file;
/// - `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require` (or `postgresql://`).
///   `?host=/path/to/socket/dir` connects over a Unix socket.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let defaultSQLitePath = "crm-data/crm.sqlite"

    public static func parse(_ url: String?) throws -> DatabaseLocation {
        guard let url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
            return .sqlite(path: defaultSQLitePath)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation(url: url))
        }
        for prefix in ["sqlite://", "sqlite:"] where url.hasPrefix(prefix) {
            let path = String(url.dropFirst(prefix.count))
            guard !path.isEmpty else { throw ConfigurationError("CRM_DATABASE_URL names no SQLite file: \(url)") }
            return .sqlite(path: path)
        }
        throw ConfigurationError("CRM_DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got \(url.prefix(12))…)")
    }

    public var engine: Engine {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// A description safe to log: never the password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }
}

/// The parts of a PostgreSQL URL.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var socketDirectory: String?
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(url: String) throws {
        guard let components = URLComponents(string: url) else {
            throw ConfigurationError("CRM_DATABASE_URL is not a valid URL")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("CRM_DATABASE_URL names no user (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty else {
            throw ConfigurationError("CRM_DATABASE_URL names no database (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        database = path
        let mode = query["sslmode"] ?? "prefer"
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw ConfigurationError("sslmode must be disable, prefer or require (got \(mode))")
        }
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    public func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)",
                username: username, password: password, database: database
            )
        } else {
            let tlsConfiguration: PostgresClient.Configuration.TLS
            switch tls {
            case .disable: tlsConfiguration = .disable
            case .prefer: tlsConfiguration = .prefer(.makeClientConfiguration())
            case .require: tlsConfiguration = .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        return configuration
    }

    public var description: String {
        "postgres://\(username)@\(socketDirectory ?? host):\(port)/\(database)"
    }
}

/// Configuration that cannot be used; the message names the setting at fault.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
