import Foundation
import SQLKit

/// A member of a tenant's staff who signs in.
public struct User: Sendable, Codable, Equatable {
    public let id: UUID
    public let email: String
    public let name: String
    public let role: Role
    /// The branch of a branch-scoped role.
    public let branchId: UUID?
    public let status: Status
    public let createdAt: Date
    public let lastLoginAt: Date?

    public enum Status: String, Sendable, Codable {
        case active, disabled
    }

    static let columns = "id, email, name, role, branch_id, status, created_at, last_login_at"

    /// `columns` of the table aliased `table`.
    static func columns(of table: String) -> String {
        columns.split(separator: ", ").map { "\(table).\($0)" }.joined(separator: ", ")
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        email = try row.decode(column: "email", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        role = try StoredValue.parse(Role.self, try row.decode(column: "role", as: String.self), column: "users.role")
        branchId = try row.decode(column: "branch_id", as: UUID?.self)
        status = try StoredValue.parse(Status.self, try row.decode(column: "status", as: String.self), column: "users.status")
        createdAt = try row.decode(column: "created_at", as: Date.self)
        lastLoginAt = try row.decode(column: "last_login_at", as: Date?.self)
    }

    init(id: UUID, email: String, name: String, role: Role, branchId: UUID?, status: Status, createdAt: Date, lastLoginAt: Date?) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.branchId = branchId
        self.status = status
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }
}

/// Input for a new user. Without a password, one is generated and returned once.
public struct NewUser: Sendable, Decodable {
    public var email: String?
    public var name: String?
    public var role: String?
    public var branchId: UUID?
    public var password: String?

    public init(email: String?, name: String?, role: String?, branchId: UUID? = nil, password: String? = nil) {
        self.email = email
        self.name = name
        self.role = role
        self.branchId = branchId
        self.password = password
    }
}

/// A user just created, with the password generated for them if none was given.
public struct CreatedUser: Sendable, Encodable {
    public let user: User
    /// Present only when the server generated the password; shown this once.
    public let generatedPassword: String?
}

/// Changes to a user; absent fields stay as they are.
public struct UserChanges: Sendable, Decodable {
    public var name: String?
    public var role: String?
    public var branchId: UUID?
    public var status: User.Status?

    public init(name: String? = nil, role: String? = nil, branchId: UUID? = nil, status: User.Status? = nil) {
        self.name = name
        self.role = role
        self.branchId = branchId
        self.status = status
    }
}
