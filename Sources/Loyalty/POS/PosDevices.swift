import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// The tills of a tenant: added with a key shown once, listed, revoked; and the check of a key on
/// every request a till makes. A key checked lately is served from `cache` without a statement
/// while the tenant's revocation counter stands (see `SessionCache`): on SQLite this process sees
/// every change, elsewhere the caller confirms the counter in its own first statement
/// (`DeviceSession.confirmed`), and a revocation anywhere is seen by the next request.
public struct PosDevices: Sendable {
    let database: any Database
    let clock: KernelClock
    let cache: SessionCache<DevicePrincipal>

    /// Every key starts so, to tell it at a glance from a user's sign-in (`crmu_`).
    public static let keyPrefix = "crmd_"
    public static let maximumName = 80
    public static let maximumDevices = 500

    /// Adds a till to a branch (the owner, or a branch manager to their own branch); its key is
    /// in the answer and nowhere else.
    public func add(_ input: PosDeviceInput, by principal: Principal) async throws -> IssuedPosDevice {
        try Self.requireManager(principal)
        var errors = FieldErrors()
        let name = errors.requiredText("name", input.name, maximum: Self.maximumName)
        let branchID = principal.confinedBranch ?? input.branchId
        if branchID == nil { errors.add("branchId", .missingField, "branchId is required: the branch whose sales the device records.") }
        if let confined = principal.confinedBranch, let asked = input.branchId, asked != confined {
            errors.add("branchId", .invalidValue, "A branch manager adds devices to their own branch only.")
        }
        try errors.throwIfAny()
        let key = Tokens.generate(prefix: Self.keyPrefix)
        let now = clock.now()
        let device = PosDevice(id: UUID(), name: name!, branchId: branchID!, keyHint: String(key.suffix(4)), createdAt: now,
                               lastUsedAt: nil, revokedAt: nil)
        let tenantID = principal.tenantID
        try await database.transaction(.tenant(tenantID)) { sql in
            try await BranchService.requireExists(device.branchId, tenantID: tenantID, sql: sql)
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM pos_devices WHERE tenant_id = \(bind: tenantID) AND revoked_at IS NULL")
                .first()?.decode(column: "n", as: Int.self) ?? 0
            guard count < Self.maximumDevices else {
                throw DomainError(.conflict, "The tenant has \(Self.maximumDevices) devices in use; revoke one first.")
            }
            try await sql.raw("""
                INSERT INTO pos_devices (tenant_id, id, name, branch_id, key_hash, key_hint, created_by, created_at)
                VALUES (\(bind: tenantID), \(bind: device.id), \(bind: device.name), \(bind: device.branchId), \(bind: Tokens.hash(key)),
                        \(bind: device.keyHint), \(bind: "user:" + principal.userID.uuidString), \(bind: now))
                """).run()
            try await AuditLog.record(sql, tenantID: tenantID, branchID: device.branchId, actor: principal.actor, action: "pos_device.add",
                                      entity: "pos_device", entityID: device.id.uuidString, after: device, at: now)
        }
        return IssuedPosDevice(device: device, key: key)
    }

    /// The tenant's devices (a branch manager's branch's), newest first, revoked ones too.
    public func list(by principal: Principal) async throws -> [PosDevice] {
        try Self.requireManager(principal)
        let branch: any SQLExpression = principal.confinedBranch.map { SQLQueryString("AND branch_id = \(bind: $0)") } ?? SQLRaw("")
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM pos_devices WHERE tenant_id = \(bind: principal.tenantID) \(branch)
                ORDER BY created_at DESC, id \(SQLLimit(2 * Self.maximumDevices))
                """).all().map(Self.decode)
        }
    }

    /// Revokes a device's key at once, in every process; revoking it again changes nothing.
    public func revoke(_ id: UUID, by principal: Principal) async throws -> PosDevice {
        try Self.requireManager(principal)
        let now = clock.now()
        let tenantID = principal.tenantID
        return try await database.transaction(.tenant(tenantID)) { sql in
            guard let device = try await Self.find(id, tenantID: tenantID, sql: sql),
                  principal.confinedBranch.map({ $0 == device.branchId }) ?? true else { throw DomainError.notFound("The device") }
            guard device.revokedAt == nil else { return device }
            try await sql.raw("""
                UPDATE pos_devices SET revoked_at = \(bind: now), revoked_by = \(bind: "user:" + principal.userID.uuidString)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) AND revoked_at IS NULL
                """).run()
            try await AuditLog.record(sql, tenantID: tenantID, branchID: device.branchId, actor: principal.actor, action: "pos_device.revoke",
                                      entity: "pos_device", entityID: id.uuidString, at: now)
            return try await Self.find(id, tenantID: tenantID, sql: sql) ?? device
        }
    }

    // MARK: - A till's key

    /// A device key as checked for one request.
    public struct DeviceSession: Sendable {
        public let device: DevicePrincipal
        /// The tenant's revocation counter when the key was last read.
        let epoch: Int64
        /// Whether the key is known to stand now; when not, the caller's first statement reads the
        /// counter and `confirmed` compares it.
        let current: Bool

        func confirmed(byEpoch observed: Int64) -> Bool { current || observed == epoch }
    }

    /// The device of `key` (401 for a key unknown, revoked, or of a tenant not active).
    public func authenticate(key: String, origin: RequestOrigin) async throws -> DeviceSession {
        guard key.hasPrefix(Self.keyPrefix), key.utf8.count <= 100 else { throw Self.unauthenticated }
        let hash = Tokens.hash(key)
        let now = clock.now()
        if let cached = cache.entry(hash, now: now) {
            let localChanges = database.localChanges(of: AuthService.revocations)
            if localChanges == nil || localChanges == cached.localChanges {
                try await recordUse(cached, hash: hash, now: now)
                return DeviceSession(device: cached.holder.arriving(from: origin), epoch: cached.epoch, current: localChanges != nil)
            }
            cache.remove(hash)
        }
        return try await fresh(hash, now: now, origin: origin)
    }

    /// Drops a session whose counter moved and checks its key afresh.
    func recheck(_ session: DeviceSession, key: String) async throws -> DeviceSession {
        let hash = Tokens.hash(key)
        cache.remove(hash)
        return try await fresh(hash, now: clock.now(), origin: session.device.origin)
    }

    private func fresh(_ hash: String, now: Date, origin: RequestOrigin) async throws -> DeviceSession {
        // Taken before the look-up: a revocation committed in between makes the entry stale at once.
        let localChanges = database.localChanges(of: AuthService.revocations)
        guard let row = try await database.rows(.system, """
            SELECT d.tenant_id, d.id, d.name, d.branch_id, d.last_used_at, COALESCE(e.epoch, 0) AS epoch
            FROM pos_devices d JOIN tenants n ON n.id = d.tenant_id
            LEFT JOIN auth_epochs e ON e.tenant_id = d.tenant_id
            WHERE d.key_hash = \(bind: hash) AND d.revoked_at IS NULL AND n.status = 'active'
            """).first else { throw Self.unauthenticated }
        let device = DevicePrincipal(tenantID: try row.decode(column: "tenant_id", as: UUID.self), deviceID: try row.decode(column: "id", as: UUID.self),
                                     name: try row.decode(column: "name", as: String.self),
                                     branchID: try row.decode(column: "branch_id", as: UUID.self), origin: origin)
        let entry = SessionCache<DevicePrincipal>.Entry(
            holder: device, tenantID: device.tenantID, expiresAt: .distantFuture, epoch: try row.decode(column: "epoch", as: Int64.self),
            localChanges: localChanges, checkedAt: now, lastUsedAt: try row.decode(column: "last_used_at", as: Date?.self))
        cache.store(entry, for: hash, now: now)
        try await recordUse(entry, hash: hash, now: now)
        return DeviceSession(device: device, epoch: entry.epoch, current: true)
    }

    /// Records the device's use at most every five minutes (enough for "last seen" on the list). A
    /// cached key on PostgreSQL is confirmed only by the request's first statement, after this: a
    /// key revoked meanwhile is not marked as used.
    private func recordUse(_ entry: SessionCache<DevicePrincipal>.Entry, hash: String, now: Date) async throws {
        guard cache.claimUseRecord(hash, entry: entry, at: now) else { return }
        try await database.transaction(.tenant(entry.tenantID)) { sql in
            try await sql.raw("""
                UPDATE pos_devices SET last_used_at = \(bind: now)
                WHERE tenant_id = \(bind: entry.tenantID) AND id = \(bind: entry.holder.deviceID) AND revoked_at IS NULL
                """).run()
        }
    }

    static let unauthenticated = DomainError(.unauthenticated, "A valid device key is required (Authorization: Bearer crmd_…).")

    static func requireManager(_ principal: Principal) throws {
        try principal.require(oneOf: [.owner, .branchManager], to: "manage cash register devices")
    }

    static let columns = "id, name, branch_id, key_hint, created_at, last_used_at, revoked_at"

    static func find(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> PosDevice? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM pos_devices WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)")
            .first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> PosDevice {
        PosDevice(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                  branchId: try row.decode(column: "branch_id", as: UUID.self), keyHint: try row.decode(column: "key_hint", as: String.self),
                  createdAt: try row.decode(column: "created_at", as: Date.self), lastUsedAt: try row.decode(column: "last_used_at", as: Date?.self),
                  revokedAt: try row.decode(column: "revoked_at", as: Date?.self))
    }
}
