import Foundation
import SQLKit

/// Rows of `auth_tokens`: bearer tokens of users (per tenant) and of operators (no tenant).
enum Sessions {
    enum Kind: String { case user, `operator` }

    /// Stores the hash of a new token; returns its id.
    static func insert(
        token: String,
        kind: Kind,
        tenantID: UUID?,
        userID: UUID?,
        label: String,
        now: Date,
        expiresAt: Date,
        sql: any SQLDatabase
    ) async throws -> UUID {
        let id = UUID()
        try await sql.raw("""
            INSERT INTO auth_tokens (token_hash, id, kind, tenant_id, user_id, label, created_at, expires_at)
            VALUES (\(bind: Tokens.hash(token)), \(bind: id), \(bind: kind.rawValue), \(bind: tenantID), \(bind: userID),
                    \(bind: label), \(bind: now), \(bind: expiresAt))
            """).run()
        return id
    }

    /// Ends every live session of a user, except `keeping` (the caller's own).
    static func revokeAll(userID: UUID, tenantID: UUID, at now: Date, sql: any SQLDatabase, keeping: UUID? = nil) async throws {
        try await sql.raw("""
            UPDATE auth_tokens SET revoked_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND user_id = \(bind: userID) AND revoked_at IS NULL
            \(keeping.map { "AND id <> \(bind: $0)" as SQLQueryString } ?? "")
            """).run()
    }
}
