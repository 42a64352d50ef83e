import Contracts
import Foundation
import SQLKit
import Storage

/// One row of the audit log as shown to a tenant's owner, accountant or branch manager.
public struct AuditEntry: Sendable, Encodable {
    public let id: UUID
    public let at: Date
    public let actor: Actor
    public let action: String
    public let entity: String
    public let entityId: String?
    public let before: JSONValue?
    public let after: JSONValue?
    public let requestId: String?
    public let address: String?

    public struct Actor: Sendable, Encodable {
        public let kind: AuditActor.Kind
        public let id: String?
        public let label: String
    }
}

/// Reading the audit log: who did what, when, with the record before and after each edit.
public struct AuditService: Sendable {
    let database: any Database

    public struct Query: Sendable {
        public var entity: String?
        public var entityID: String?

        public init(entity: String? = nil, entityID: String? = nil) {
            self.entity = entity
            self.entityID = entityID
        }
    }

    public func list(_ query: Query, limit: Int = 100, by principal: Principal) async throws -> [AuditEntry] {
        try principal.require(.readAudit)
        guard (1...500).contains(limit) else {
            throw DomainError.invalid("limit", .invalidParameter, "limit must be between 1 and 500.")
        }
        return try await database.read(.tenant(principal.tenantID)) { sql in
            var statement: SQLQueryString = """
                SELECT id, at, actor_kind, actor_id, actor_label, action, entity, entity_id, before, after, request_id, address
                FROM audit_log WHERE tenant_id = \(bind: principal.tenantID)
                """
            // A branch-scoped reader sees what happened at its branch, not the tenant's other rows.
            if let branch = principal.confinedBranch { statement = "\(statement) AND branch_id = \(bind: branch)" }
            if let entity = query.entity { statement = "\(statement) AND entity = \(bind: entity)" }
            if let entityID = query.entityID { statement = "\(statement) AND entity_id = \(bind: entityID)" }
            statement = "\(statement) ORDER BY at DESC LIMIT \(literal: limit)"
            return try await sql.raw(statement).all().map { row in
                AuditEntry(
                    id: try row.decode(column: "id", as: UUID.self),
                    at: try row.decode(column: "at", as: Date.self),
                    actor: .init(
                        kind: try StoredValue.parse(AuditActor.Kind.self, try row.decode(column: "actor_kind", as: String.self), column: "audit_log.actor_kind"),
                        id: try row.decode(column: "actor_id", as: String?.self),
                        label: try row.decode(column: "actor_label", as: String.self)
                    ),
                    action: try row.decode(column: "action", as: String.self),
                    entity: try row.decode(column: "entity", as: String.self),
                    entityId: try row.decode(column: "entity_id", as: String?.self),
                    before: try row.decode(column: "before", as: String?.self).flatMap(JSONValue.init(json:)),
                    after: try row.decode(column: "after", as: String?.self).flatMap(JSONValue.init(json:)),
                    requestId: try row.decode(column: "request_id", as: String?.self),
                    address: try row.decode(column: "address", as: String?.self)
                )
            }
        }
    }
}
