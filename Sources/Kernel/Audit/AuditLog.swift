import Foundation
import SQLKit
import Storage

/// Who did something, for the audit log.
public struct AuditActor: Sendable {
    public enum Kind: String, Sendable, Codable { case user, `operator`, system, device }

    public let kind: Kind
    public let id: String?
    public let label: String
    public let origin: RequestOrigin

    public init(kind: Kind, id: String?, label: String, origin: RequestOrigin) {
        self.kind = kind
        self.id = id
        self.label = label
        self.origin = origin
    }
}

/// Writes audit rows inside the transaction of the change they describe, so that a change and its
/// record commit together or not at all. Each row carries the branch of the record it is about
/// (nil for what belongs to the whole tenant), so that branch managers read only their branch's.
public enum AuditLog {
    public static func record(
        _ sql: any SQLDatabase,
        tenantID: UUID?,
        branchID: UUID?,
        actor: AuditActor,
        action: String,
        entity: String,
        entityID: String?,
        before: (any Encodable)? = nil,
        after: (any Encodable)? = nil,
        at: Date
    ) async throws {
        let beforeJSON = try before.map { try SQLJSON(StoredJSON.encode($0)) }
        let afterJSON = try after.map { try SQLJSON(StoredJSON.encode($0)) }
        try await sql.raw("""
            INSERT INTO audit_log (tenant_id, branch_id, id, at, actor_kind, actor_id, actor_label, action, entity, entity_id,
                                   before, after, request_id, address)
            VALUES (\(bind: tenantID), \(bind: branchID), \(bind: UUID()), \(bind: at), \(bind: actor.kind.rawValue), \(bind: actor.id),
                    \(bind: actor.label), \(bind: action), \(bind: entity), \(bind: entityID),
                    \(beforeJSON.map { $0 as any SQLExpression } ?? SQLLiteral.null),
                    \(afterJSON.map { $0 as any SQLExpression } ?? SQLLiteral.null),
                    \(bind: actor.origin.requestID), \(bind: actor.origin.address))
            """).run()
    }
}
