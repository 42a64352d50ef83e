import Contracts
import Foundation

/// Where a request came from, for the audit log.
public struct RequestOrigin: Sendable {
    public let requestID: String?
    public let address: String?

    public init(requestID: String? = nil, address: String? = nil) {
        self.requestID = requestID
        self.address = address
    }

    public static let commandLine = RequestOrigin(requestID: nil, address: "command line")
}

/// A signed-in user of a tenant, as established from their bearer token.
public struct Principal: Sendable {
    public let tenantID: UUID
    /// The id of the tenant's sector module.
    public let sector: String
    public let userID: UUID
    public let email: String
    public let name: String
    public let role: Role
    /// The branch of a branch-scoped role; nil for owners and accountants.
    public let branchID: UUID?
    /// The token this request came with (nil for principals made in-process).
    public let tokenID: UUID?
    public let origin: RequestOrigin

    public init(tenantID: UUID, sector: String, userID: UUID, email: String, name: String, role: Role, branchID: UUID?, tokenID: UUID?, origin: RequestOrigin) {
        self.tenantID = tenantID
        self.sector = sector
        self.userID = userID
        self.email = email
        self.name = name
        self.role = role
        self.branchID = branchID
        self.tokenID = tokenID
        self.origin = origin
    }

    /// The same principal, for a request from `origin`.
    func arriving(from origin: RequestOrigin) -> Principal {
        Principal(tenantID: tenantID, sector: sector, userID: userID, email: email, name: name, role: role,
                  branchID: branchID, tokenID: tokenID, origin: origin)
    }

    public func require(_ permission: Permission) throws {
        guard role.allows(permission) else { throw DomainError.forbidden }
    }

    /// Throws 403 unless the role is one of `roles`, saying who may: "Only the owner or a branch
    /// manager may run campaigns." (`action` is "run campaigns").
    public func require(oneOf roles: [Role], to action: String) throws {
        precondition(!roles.isEmpty, "a check names at least one role")
        guard !roles.contains(role) else { return }
        let names = roles.map(\.withArticle)
        let who = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
        throw DomainError(.forbidden, "Only \(who) may \(action).")
    }

    /// The branch this principal is confined to, if its role is branch-scoped.
    public var confinedBranch: UUID? {
        role.isBranchScoped ? branchID : nil
    }

    public var actor: AuditActor {
        AuditActor(kind: .user, id: userID.uuidString, label: email, origin: origin)
    }
}

/// A SaaS operator, as established from an operator token.
public struct OperatorPrincipal: Sendable {
    public let tokenID: UUID
    public let label: String
    public let origin: RequestOrigin

    public init(tokenID: UUID, label: String, origin: RequestOrigin) {
        self.tokenID = tokenID
        self.label = label
        self.origin = origin
    }

    /// The operator at the command line of a server (`crm tenant create`, …).
    public static let commandLine = OperatorPrincipal(tokenID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), label: "command line", origin: .commandLine)

    public var actor: AuditActor {
        AuditActor(kind: .operator, id: tokenID.uuidString, label: label, origin: origin)
    }
}
