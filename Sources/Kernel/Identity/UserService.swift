import Contracts
import Foundation
import SQLKit
import Storage

/// A tenant's staff accounts. Owners manage everyone; branch managers manage the front desk and
/// couriers of their own branch.
public struct UserService: Sendable {
    let database: any Database
    let hasher: PasswordHasher
    let passwordPolicy: PasswordPolicy
    let clock: Clock
    let throttle: LoginThrottle
    let sleep: @Sendable (Duration) async throws -> Void

    public func list(_ principal: Principal) async throws -> [User] {
        try principal.require(.manageUsers)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: User.columns) FROM users WHERE tenant_id = \(bind: principal.tenantID)
                \(Self.branchFilter(principal)) ORDER BY email
                """).all().map(User.init(row:))
        }
    }

    public func get(_ id: UUID, by principal: Principal) async throws -> User {
        if id != principal.userID { try principal.require(.manageUsers) }
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await Self.load(id, principal: principal, sql: sql)
        }
    }

    /// The signed-in user and their tenant, in one statement.
    public func signedIn(_ principal: Principal) async throws -> (user: User, tenant: Tenant) {
        guard let row = try await database.rows(.tenant(principal.tenantID), """
            SELECT \(unsafeRaw: User.columns(of: "u")), \(unsafeRaw: Tenant.columns(of: "n", prefix: "tenant_"))
            FROM users u JOIN tenants n ON n.id = u.tenant_id
            WHERE u.tenant_id = \(bind: principal.tenantID) AND u.id = \(bind: principal.userID)
            """).first else { throw DomainError.notFound("The user") }
        return (try User(row: row), try Tenant(row: row, prefix: "tenant_"))
    }

    public func create(_ input: NewUser, by principal: Principal) async throws -> CreatedUser {
        try principal.require(.manageUsers)
        var errors = FieldErrors()
        let email = errors.collect("email") { try EmailAddress(parsing: input.email ?? "") }
        let name = errors.requiredText("name", input.name, maximum: 120)
        let role = errors.collect("role") { try Role.parse(input.role ?? "") }
        if let role, !principal.role.assignableRoles.contains(role) {
            errors.add("role", .invalidValue, "A \(principal.role.rawValue) cannot create a \(role.rawValue).")
        }
        var branchID: UUID? = nil
        if let role, role.isBranchScoped {
            branchID = principal.confinedBranch ?? input.branchId
            if branchID == nil { errors.add("branchId", .missingField, "A \(role.rawValue) needs a branch.") }
            if let confined = principal.confinedBranch, let asked = input.branchId, asked != confined {
                errors.add("branchId", .invalidValue, "You can add staff to your own branch only.")
            }
        }
        if let password = input.password, let email {
            errors.collect("password") { try passwordPolicy.check(password, email: email.value) }
        }
        try errors.throwIfAny()
        let generated = input.password == nil ? Tokens.generatePassword() : nil
        let hash = try await hasher.hash(input.password ?? generated!)
        let now = clock.now()
        let user = User(id: UUID(), email: email!.value, name: name!, role: role!, branchId: branchID, status: .active, createdAt: now, lastLoginAt: nil)
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await Self.insert(user, passwordHash: hash, tenantID: principal.tenantID, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: user.branchId, actor: principal.actor, action: "user.create",
                                      entity: "user", entityID: user.id.uuidString, after: user, at: now)
        }
        return CreatedUser(user: user, generatedPassword: generated)
    }

    public func update(_ id: UUID, _ changes: UserChanges, by principal: Principal) async throws -> User {
        try principal.require(.manageUsers)
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let before = try await Self.load(id, principal: principal, locking: true, sql: sql)
            guard principal.role.assignableRoles.contains(before.role) else { throw DomainError.forbidden }
            var errors = FieldErrors()
            let name = changes.name.flatMap { errors.requiredText("name", $0, maximum: 120) } ?? before.name
            let role = changes.role.map { text in errors.collect("role") { try Role.parse(text) } ?? before.role } ?? before.role
            if !principal.role.assignableRoles.contains(role) {
                errors.add("role", .invalidValue, "A \(principal.role.rawValue) cannot make someone a \(role.rawValue).")
            }
            if id == principal.userID, role != before.role || changes.status == .disabled {
                throw DomainError(.forbidden, "You cannot demote or disable yourself; another owner can.")
            }
            var branchID = role.isBranchScoped ? (changes.branchId ?? before.branchId) : nil
            if let confined = principal.confinedBranch { branchID = confined }
            if role.isBranchScoped, branchID == nil {
                errors.add("branchId", .missingField, "A \(role.rawValue) needs a branch.")
            }
            try errors.throwIfAny()
            if let branchID { try await BranchService.requireExists(branchID, tenantID: principal.tenantID, sql: sql) }
            let status = changes.status ?? before.status
            let after = User(id: id, email: before.email, name: name, role: role, branchId: branchID, status: status,
                             createdAt: before.createdAt, lastLoginAt: before.lastLoginAt)
            try await sql.raw("""
                UPDATE users SET name = \(bind: name), role = \(bind: role.rawValue), branch_id = \(bind: branchID),
                    status = \(bind: status.rawValue), updated_at = \(bind: now)
                WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: id)
                """).run()
            if status == .disabled || role != before.role || branchID != before.branchId {
                // A changed role or branch must not keep the reach of the old one through live sessions.
                try await Sessions.revokeAll(userID: id, tenantID: principal.tenantID, at: now, sql: sql)
            }
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: after.branchId, actor: principal.actor, action: "user.update",
                                      entity: "user", entityID: id.uuidString, before: before, after: after, at: now)
            return after
        }
    }

    /// Sets a new password for another user (owner or their branch manager); their sessions end.
    public func resetPassword(_ id: UUID, to password: String?, by principal: Principal) async throws -> CreatedUser {
        try principal.require(.manageUsers)
        guard id != principal.userID else {
            // Resetting would end the caller's own session; changing one's password checks the current one.
            throw DomainError(.forbidden, "Change your own password with PUT /api/v1/me/password.")
        }
        let target = try await get(id, by: principal)
        guard principal.role.assignableRoles.contains(target.role) else { throw DomainError.forbidden }
        if let password {
            var errors = FieldErrors()
            errors.collect("password") { try passwordPolicy.check(password, email: target.email) }
            try errors.throwIfAny()
        }
        let generated = password == nil ? Tokens.generatePassword() : nil
        let hash = try await hasher.hash(password ?? generated!)
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await Self.setPassword(hash, userID: id, tenantID: principal.tenantID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: principal.confinedBranch, actor: principal.actor, action: "user.password_reset",
                                      entity: "user", entityID: id.uuidString, at: now)
        }
        return CreatedUser(user: target, generatedPassword: generated)
    }

    /// Changes the caller's own password after checking the current one; other sessions end.
    public func changeOwnPassword(current: String, new: String, by principal: Principal) async throws {
        // Guessing the current password through this route is throttled like signing in.
        let keys = LoginThrottle.passwordChangeKeys(userID: principal.userID, address: principal.origin.address)
        let wait = try await throttle.admit(keys, now: clock.now())
        if wait > .zero { try await sleep(wait) }
        let stored = try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("SELECT password_hash FROM users WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: principal.userID)")
                .first(decodingColumn: "password_hash", as: String.self)
        }
        guard let stored, try await throttle.refundingBusy(keys, { try await hasher.verify(current, hash: stored) }) else {
            throw DomainError.invalid("currentPassword", .invalidCredentials, "The current password is not correct.")
        }
        try await throttle.recordSuccess(keys)
        var errors = FieldErrors()
        errors.collect("newPassword") { try passwordPolicy.check(new, email: principal.email) }
        try errors.throwIfAny()
        let hash = try await hasher.hash(new)
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await Self.setPassword(hash, userID: principal.userID, tenantID: principal.tenantID, at: now, sql: sql, keeping: principal.tokenID)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: principal.branchID, actor: principal.actor, action: "user.password_change",
                                      entity: "user", entityID: principal.userID.uuidString, at: now)
        }
    }

    // MARK: - Shared with tenant creation

    static func insert(_ user: User, passwordHash: String, tenantID: UUID, sql: any SQLDatabase) async throws {
        if let branchID = user.branchId { try await BranchService.requireExists(branchID, tenantID: tenantID, sql: sql) }
        do {
            try await sql.raw("""
                INSERT INTO users (tenant_id, id, email, name, role, branch_id, password_hash, status, created_at, updated_at)
                VALUES (\(bind: tenantID), \(bind: user.id), \(bind: user.email), \(bind: user.name), \(bind: user.role.rawValue),
                        \(bind: user.branchId), \(bind: passwordHash), \(bind: user.status.rawValue), \(bind: user.createdAt),
                        \(bind: user.createdAt))
                """).run()
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError.invalid("email", .emailTaken, "A user with this e-mail address exists already.")
        }
    }

    static func setPassword(_ hash: String, userID: UUID, tenantID: UUID, at now: Date, sql: any SQLDatabase, keeping: UUID? = nil) async throws {
        try await sql.raw("""
            UPDATE users SET password_hash = \(bind: hash), updated_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: userID)
            """).run()
        try await Sessions.revokeAll(userID: userID, tenantID: tenantID, at: now, sql: sql, keeping: keeping)
    }

    /// The user in the caller's reach; with `locking`, locked until the transaction ends (for a
    /// caller that decides on it and writes it).
    private static func load(_ id: UUID, principal: Principal, locking: Bool = false, sql: any SQLDatabase) async throws -> User {
        let row = try await sql.raw("""
            SELECT \(unsafeRaw: User.columns) FROM users WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: id)
            \(id == principal.userID ? SQLQueryString("") : branchFilter(principal)) \(locking ? SQLLockingClause.update as any SQLExpression : SQLRaw(""))
            """).first()
        guard let row else { throw DomainError.notFound("The user") }
        return try User(row: row)
    }

    /// `AND branch_id = …` for branch-scoped principals.
    private static func branchFilter(_ principal: Principal) -> SQLQueryString {
        guard let branch = principal.confinedBranch else { return "" }
        return "AND branch_id = \(bind: branch)"
    }
}
