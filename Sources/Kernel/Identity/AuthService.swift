import Contracts
import Foundation
import Logging
import SQLKit
import Storage

/// Sign-in with a password, bearer tokens for users and operators, sign-out.
public struct AuthService: Sendable {
    let database: any Database
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let clock: Clock
    let tokenLifetime: Duration
    let sleep: @Sendable (Duration) async throws -> Void
    let cache: PrincipalCache

    /// What a successful sign-in returns: the bearer token (shown once) and who it belongs to.
    public struct SignedIn: Sendable, Encodable {
        public let token: String
        public let expiresAt: Date
        public let user: User
        public let tenant: Tenant
    }

    public func login(tenantSlug: String, email: String, password: String, origin: RequestOrigin) async throws -> SignedIn {
        // One normal form for the throttle and the look-up, so that "A@x.com " is the same account.
        let email = EmailAddress.normalized(email)
        let tenantSlug = tenantSlug.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.utf8.count <= 254, tenantSlug.utf8.count <= 63, !(email + tenantSlug).unicodeScalars.contains("\u{0}") else {
            throw Self.invalidCredentials
        }
        let keys = LoginThrottle.keys(tenantSlug: tenantSlug, email: email, address: origin.address)
        let wait = try await throttle.admit(keys, now: clock.now())
        if wait > .zero { try await sleep(wait) }

        let found = try await database.read(.system) { sql -> (Tenant, User, String)? in
            guard let tenantRow = try await sql.raw("""
                SELECT \(unsafeRaw: Tenant.columns) FROM tenants WHERE slug = \(bind: tenantSlug)
                """).first() else { return nil }
            let tenant = try Tenant(row: tenantRow)
            guard let userRow = try await sql.raw("""
                SELECT \(unsafeRaw: User.columns), password_hash FROM users
                WHERE tenant_id = \(bind: tenant.id) AND email = \(bind: email)
                """).first() else { return nil }
            return (tenant, try User(row: userRow), try userRow.decode(column: "password_hash", as: String.self))
        }
        guard let (tenant, user, hash) = found else {
            try await throttle.refundingBusy(keys) { try await hasher.verifyNothing(password) }
            throw Self.invalidCredentials
        }
        guard try await throttle.refundingBusy(keys, { try await hasher.verify(password, hash: hash) }) else {
            let now = clock.now()
            try await database.transaction(.tenant(tenant.id)) { sql in
                try await AuditLog.record(sql, tenantID: tenant.id, branchID: user.branchId, actor: Self.anonymous(email: user.email, origin: origin),
                                          action: "auth.login_failed", entity: "user", entityID: user.id.uuidString, at: now)
            }
            throw Self.invalidCredentials
        }
        try await throttle.recordSuccess(keys)
        guard user.status == .active, tenant.status == .active else {
            throw DomainError(.accountDisabled, user.status != .active ? "This account is disabled." : "This business's account is suspended.")
        }
        let token = Tokens.generate(prefix: Tokens.userPrefix)
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(TimeInterval(tokenLifetime.components.seconds))
        let principal = Principal(tenantID: tenant.id, sector: tenant.sector, userID: user.id, email: user.email, name: user.name, role: user.role,
                                  branchID: user.branchId, tokenID: nil, origin: origin)
        try await database.transaction(.tenant(tenant.id)) { sql in
            _ = try await Sessions.insert(token: token, kind: .user, tenantID: tenant.id, userID: user.id, label: user.email,
                                          now: now, expiresAt: expiresAt, sql: sql)
            try await sql.raw("UPDATE users SET last_login_at = \(bind: now) WHERE tenant_id = \(bind: tenant.id) AND id = \(bind: user.id)").run()
            try await AuditLog.record(sql, tenantID: tenant.id, branchID: user.branchId, actor: principal.actor, action: "auth.login",
                                      entity: "user", entityID: user.id.uuidString, at: now)
        }
        return SignedIn(token: token, expiresAt: expiresAt, user: user, tenant: tenant)
    }

    /// The signed-in user a bearer token stands for; `unauthenticated` when it is unknown, expired,
    /// revoked, or its user is disabled.
    ///
    /// A session this process checked lately is answered from `cache` once its tenant's revocation
    /// counter is found unmoved (one short statement; none on SQLite, see `stillCurrent`); when it
    /// moved, or the entry lapsed, the session is looked up afresh (see `PrincipalCache`).
    public func authenticate(token: String, origin: RequestOrigin) async throws -> Principal {
        guard token.hasPrefix(Tokens.userPrefix) else { throw Self.unauthenticated }
        let now = clock.now()
        let hash = Tokens.hash(token)
        let entry: PrincipalCache.Entry
        if let cached = cache.entry(hash, now: now), try await stillCurrent(cached) {
            entry = cached
        } else {
            cache.remove(hash)
            // Taken before the look-up: a revocation committed in between makes the entry stale at once.
            let localChanges = database.localChanges(of: Self.revocations)
            guard let fresh = try await session(hash, now: now, localChanges: localChanges, origin: origin) else { throw Self.unauthenticated }
            entry = fresh
            cache.store(fresh, for: hash, now: now)
        }
        if cache.claimUseRecord(hash, entry: entry, at: now) {
            try await database.transaction(.tenant(entry.tenantID)) { [entry] sql in
                try await sql.raw("UPDATE auth_tokens SET last_used_at = \(bind: now) WHERE id = \(bind: entry.holder.tokenID)").run()
            }
        }
        return entry.holder.arriving(from: origin)
    }

    /// The live session of a token hash, with its tenant's revocation counter read in the same
    /// statement (one snapshot: a revocation is either in both or in neither).
    private func session(_ tokenHash: String, now: Date, localChanges: UInt64?, origin: RequestOrigin) async throws -> PrincipalCache.Entry? {
        guard let row = try await database.rows(.system, """
            SELECT t.id AS token_id, t.last_used_at, t.expires_at, u.tenant_id, n.sector, u.id, u.email, u.name, u.role, u.branch_id,
                   COALESCE(e.epoch, 0) AS epoch
            FROM auth_tokens t
            JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.user_id
            JOIN tenants n ON n.id = u.tenant_id
            LEFT JOIN auth_epochs e ON e.tenant_id = n.id
            WHERE t.token_hash = \(bind: tokenHash) AND t.kind = 'user' AND t.revoked_at IS NULL
              AND t.expires_at > \(bind: now) AND u.status = 'active' AND n.status = 'active'
            """).first else { return nil }
        let principal = Principal(
            tenantID: try row.decode(column: "tenant_id", as: UUID.self),
            sector: try row.decode(column: "sector", as: String.self),
            userID: try row.decode(column: "id", as: UUID.self),
            email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: try StoredValue.parse(Role.self, try row.decode(column: "role", as: String.self), column: "users.role"),
            branchID: try row.decode(column: "branch_id", as: UUID?.self),
            tokenID: try row.decode(column: "token_id", as: UUID.self),
            origin: origin
        )
        return PrincipalCache.Entry(
            holder: principal, tenantID: principal.tenantID,
            expiresAt: try row.decode(column: "expires_at", as: Date.self),
            epoch: try row.decode(column: "epoch", as: Int64.self),
            localChanges: localChanges,
            checkedAt: now,
            lastUsedAt: try row.decode(column: "last_used_at", as: Date?.self)
        )
    }

    /// The table of revocation counters, which triggers keep.
    public static let revocations = "auth_epochs"

    /// Whether no revocation has happened since the entry was read: where this process makes every
    /// change (SQLite), by its own count of committed changes to the counters, with no statement;
    /// elsewhere by reading the tenant's counter.
    private func stillCurrent(_ entry: PrincipalCache.Entry) async throws -> Bool {
        if let localChanges = database.localChanges(of: Self.revocations) {
            return localChanges == entry.localChanges
        }
        return try await Self.revocationEpoch(of: entry.tenantID, in: database) == entry.epoch
    }

    /// The tenant's revocation counter now (0 before its first revocation).
    public static func revocationEpoch(of tenantID: UUID, in database: any Database) async throws -> Int64 {
        try await database.rows(.tenant(tenantID), "SELECT epoch FROM auth_epochs WHERE tenant_id = \(bind: tenantID)")
            .first?.decode(column: "epoch", as: Int64.self) ?? 0
    }

    /// Ends the session the principal signed in with.
    public func logout(_ principal: Principal) async throws {
        guard let tokenID = principal.tokenID else { return }
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                UPDATE auth_tokens SET revoked_at = \(bind: now) WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: tokenID)
                """).run()
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: principal.branchID, actor: principal.actor, action: "auth.logout",
                                      entity: "user", entityID: principal.userID.uuidString, at: now)
        }
    }

    // MARK: - Operators

    /// An operator token as issued: the secret itself is shown once.
    public struct IssuedOperatorToken: Sendable, Encodable {
        public let id: UUID
        public let label: String
        public let token: String
        public let expiresAt: Date
    }

    public func issueOperatorToken(label: String?, lifetime: Duration, by actor: OperatorPrincipal) async throws -> IssuedOperatorToken {
        var errors = FieldErrors()
        let label = errors.requiredText("label", label, maximum: 80)
        try errors.throwIfAny()
        let token = Tokens.generate(prefix: Tokens.operatorPrefix)
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let id = try await database.transaction(.system) { sql in
            let id = try await Sessions.insert(token: token, kind: .operator, tenantID: nil, userID: nil, label: label!,
                                               now: now, expiresAt: expiresAt, sql: sql)
            try await AuditLog.record(sql, tenantID: nil, branchID: nil, actor: actor.actor, action: "operator_token.issue",
                                      entity: "operator_token", entityID: id.uuidString, after: ["label": label!], at: now)
            return id
        }
        return IssuedOperatorToken(id: id, label: label!, token: token, expiresAt: expiresAt)
    }

    public func revokeOperatorToken(id: UUID, by actor: OperatorPrincipal) async throws {
        let now = clock.now()
        try await database.transaction(.system) { sql in
            let revoked = try await sql.raw("""
                UPDATE auth_tokens SET revoked_at = \(bind: now) WHERE id = \(bind: id) AND kind = 'operator' AND revoked_at IS NULL
                RETURNING id
                """).first()
            guard revoked != nil else { throw DomainError.notFound("The operator token") }
            try await AuditLog.record(sql, tenantID: nil, branchID: nil, actor: actor.actor, action: "operator_token.revoke",
                                      entity: "operator_token", entityID: id.uuidString, at: now)
        }
    }

    public func authenticateOperator(token: String, origin: RequestOrigin) async throws -> OperatorPrincipal {
        guard token.hasPrefix(Tokens.operatorPrefix) else { throw Self.unauthenticated }
        let now = clock.now()
        let row = try await database.rows(.system, """
            SELECT id, label FROM auth_tokens
            WHERE token_hash = \(bind: Tokens.hash(token)) AND kind = 'operator' AND revoked_at IS NULL AND expires_at > \(bind: now)
            """).first.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "label", as: String.self)) }
        guard let (id, label) = row else { throw Self.unauthenticated }
        return OperatorPrincipal(tokenID: id, label: label, origin: origin)
    }

    static let invalidCredentials = DomainError(.invalidCredentials, "The business, e-mail address or password is not correct.")
    static let unauthenticated = DomainError(.unauthenticated, "Sign in first: the bearer token is missing, unknown, expired or revoked.")

    private static func anonymous(email: String, origin: RequestOrigin) -> AuditActor {
        AuditActor(kind: .system, id: nil, label: "sign-in attempt as \(email)", origin: origin)
    }
}
