import Contracts
import Foundation
import SQLKit
import Storage

/// Input for a new tenant, as the SaaS operator gives it.
public struct NewTenant: Sendable, Decodable {
    public var slug: String?
    public var name: String?
    public var sector: String?
    public var timeZone: String?
    public var locale: String?
    public var owner: NewUser?

    public init(slug: String?, name: String?, sector: String?, timeZone: String? = nil, locale: String? = nil, owner: NewUser?) {
        self.slug = slug
        self.name = name
        self.sector = sector
        self.timeZone = timeZone
        self.locale = locale
        self.owner = owner
    }
}

/// A tenant just created: its first branch and its owner, with the owner's generated password if
/// none was given (shown this once).
public struct CreatedTenant: Sendable, Encodable {
    public let tenant: Tenant
    public let branch: Branch
    public let owner: User
    public let generatedPassword: String?
}

/// Onboarding and looking up tenants. Creating one is the operator's; reading one's own is every user's.
public struct TenantService: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let hasher: PasswordHasher
    let passwordPolicy: PasswordPolicy
    let clock: Clock

    public static let defaultTimeZone = "Europe/Istanbul"
    static let reservedSlugs: Set<String> = ["api", "admin", "operator", "www", "app", "static", "assets", "login", "demo-template"]

    public func create(_ input: NewTenant, by actor: OperatorPrincipal) async throws -> CreatedTenant {
        var errors = FieldErrors()
        let slug = errors.collect("slug") { try Self.validateSlug(input.slug) }
        let name = errors.requiredText("name", input.name, maximum: 120)
        let sector = errors.collect("sector") { try registry.require(input.sector ?? "").identity.id }
        let timeZone = input.timeZone ?? Self.defaultTimeZone
        if TimeZone(identifier: timeZone) == nil {
            errors.add("timeZone", .invalidTimeZone, "'\(timeZone.prefix(60))' is not an IANA time zone such as Europe/Istanbul.")
        }
        let locale = input.locale ?? "tr"
        if !["tr", "en"].contains(locale) { errors.add("locale", .invalidValue, "locale must be tr or en.") }
        let owner = input.owner
        if owner == nil { errors.add("owner", .missingField, "owner is required: the first user, who manages the tenant.") }
        let ownerEmail = owner.flatMap { owner in errors.collect("owner.email") { try EmailAddress(parsing: owner.email ?? "") } }
        let ownerName = owner.flatMap { errors.requiredText("owner.name", $0.name, maximum: 120) }
        if let password = owner?.password, let ownerEmail {
            errors.collect("owner.password") { try passwordPolicy.check(password, email: ownerEmail.value) }
        }
        try errors.throwIfAny()

        let generated = owner?.password == nil ? Tokens.generatePassword() : nil
        let hash = try await hasher.hash(owner?.password ?? generated!)
        let now = clock.now()
        let english = locale == "en"
        let tenant = Tenant(id: UUID(), slug: slug!, name: name!, sector: sector!, timeZone: timeZone, locale: locale, status: .active, createdAt: now)
        let branch = Branch(id: UUID(), code: english ? "MAIN" : "MERKEZ", name: english ? "Head office" : "Merkez",
                            phone: nil, city: nil, district: nil, addressLine: nil, createdAt: now)
        let user = User(id: UUID(), email: ownerEmail!.value, name: ownerName!, role: .owner, branchId: nil, status: .active, createdAt: now, lastLoginAt: nil)
        try await database.transaction(.system) { sql in
            do {
                try await sql.raw("""
                    INSERT INTO tenants (id, slug, name, sector, time_zone, locale, status, created_at, updated_at)
                    VALUES (\(bind: tenant.id), \(bind: tenant.slug), \(bind: tenant.name), \(bind: tenant.sector), \(bind: tenant.timeZone),
                            \(bind: tenant.locale), \(bind: tenant.status.rawValue), \(bind: now), \(bind: now))
                    """).run()
            } catch where ConstraintViolation.isUnique(error) {
                throw DomainError.invalid("slug", .slugTaken, "The short name '\(tenant.slug)' is taken.")
            }
            try await BranchService.insert(branch, tenantID: tenant.id, sql: sql)
            try await CustomerTypeService.insertDefaults(tenantID: tenant.id, english: english, at: now, sql: sql)
            try await UserService.insert(user, passwordHash: hash, tenantID: tenant.id, sql: sql)
            try await AuditLog.record(sql, tenantID: tenant.id, branchID: nil, actor: actor.actor, action: "tenant.create",
                                      entity: "tenant", entityID: tenant.id.uuidString, after: tenant, at: now)
            try await AuditLog.record(sql, tenantID: tenant.id, branchID: user.branchId, actor: actor.actor, action: "user.create",
                                      entity: "user", entityID: user.id.uuidString, after: user, at: now)
        }
        return CreatedTenant(tenant: tenant, branch: branch, owner: user, generatedPassword: generated)
    }

    public func list(by actor: OperatorPrincipal) async throws -> [Tenant] {
        try await database.read(.system) { sql in
            try await sql.raw("SELECT \(unsafeRaw: Tenant.columns) FROM tenants ORDER BY slug").all().map { try Tenant(row: $0) }
        }
    }

    public func get(_ id: UUID, by actor: OperatorPrincipal) async throws -> Tenant {
        try await database.read(.system) { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Tenant.columns) FROM tenants WHERE id = \(bind: id)").first() else {
                throw DomainError.notFound("The tenant")
            }
            return try Tenant(row: row)
        }
    }

    /// The tenant of a signed-in user.
    public func current(_ principal: Principal) async throws -> Tenant {
        try await database.read(.tenant(principal.tenantID)) { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Tenant.columns) FROM tenants WHERE id = \(bind: principal.tenantID)").first() else {
                throw DomainError.notFound("The tenant")
            }
            return try Tenant(row: row)
        }
    }

    /// The tenant, read in the caller's transaction (a job working for it); nil when there is none.
    public static func tenant(_ id: UUID, sql: any SQLDatabase) async throws -> Tenant? {
        try await sql.raw("SELECT \(unsafeRaw: Tenant.columns) FROM tenants WHERE id = \(bind: id)").first().map { try Tenant(row: $0) }
    }

    /// The tenant with this slug, if any (system scope: used before anyone is signed in).
    public func find(slug: String) async throws -> Tenant? {
        try await database.read(.system) { sql in
            try await sql.raw("SELECT \(unsafeRaw: Tenant.columns) FROM tenants WHERE slug = \(bind: slug)").first().map { try Tenant(row: $0) }
        }
    }

    /// Gives the tenant's first owner a new generated password and ends their sessions: for an
    /// owner locked out of their account, and for the demo tenant.
    public func resetOwnerPassword(_ tenantID: UUID, by actor: OperatorPrincipal) async throws -> CreatedUser {
        let password = Tokens.generatePassword()
        let hash = try await hasher.hash(password)
        let now = clock.now()
        let owner = try await database.transaction(.system) { sql in
            guard let row = try await sql.raw("""
                SELECT \(unsafeRaw: User.columns) FROM users WHERE tenant_id = \(bind: tenantID) AND role = 'owner'
                ORDER BY created_at LIMIT 1
                """).first() else { throw DomainError.notFound("The tenant's owner") }
            let owner = try User(row: row)
            try await UserService.setPassword(hash, userID: owner.id, tenantID: tenantID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: owner.branchId, actor: actor.actor, action: "user.password_reset",
                                      entity: "user", entityID: owner.id.uuidString, at: now)
            return owner
        }
        return CreatedUser(user: owner, generatedPassword: password)
    }

    /// 3–40 characters: lowercase ASCII letters, digits and inner hyphens.
    static func validateSlug(_ slug: String?) throws -> String {
        guard let slug, !slug.isEmpty else { throw DomainError(.missingField, "slug is required.") }
        let allowed = slug.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
        guard (3...40).contains(slug.utf8.count), allowed, !slug.hasPrefix("-"), !slug.hasSuffix("-"), !slug.contains("--") else {
            throw DomainError(.invalidSlug, "The short name must be 3–40 lowercase letters, digits and single inner hyphens (e.g. moda-temizleme).")
        }
        guard !reservedSlugs.contains(slug) else { throw DomainError(.invalidSlug, "The short name '\(slug)' is reserved.") }
        return slug
    }
}
