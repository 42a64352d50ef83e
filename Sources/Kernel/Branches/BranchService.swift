import Contracts
import Foundation
import SQLKit
import Storage

/// A tenant's branches: listed by all its staff, created by the owner.
public struct BranchService: Sendable {
    let database: any Database
    let clock: Clock

    public func list(_ principal: Principal) async throws -> [Branch] {
        try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Branch.columns) FROM branches WHERE tenant_id = \(bind: principal.tenantID) ORDER BY code
                """).all().map(Branch.init(row:))
        }
    }

    public func create(_ input: NewBranch, by principal: Principal) async throws -> Branch {
        try principal.require(.manageTenant)
        let branch = try Self.validate(input, id: UUID(), at: clock.now())
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await Self.insert(branch, tenantID: principal.tenantID, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: branch.id, actor: principal.actor, action: "branch.create",
                                      entity: "branch", entityID: branch.id.uuidString, after: branch, at: branch.createdAt)
            return branch
        }
    }

    static func validate(_ input: NewBranch, id: UUID, at: Date) throws -> Branch {
        var errors = FieldErrors()
        let name = errors.requiredText("name", input.name, maximum: 120)
        var code = errors.requiredText("code", input.code, maximum: 20).map { TurkishText.uppercased($0) }
        if let value = code, !value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            errors.add("code", .invalidValue, "code may hold letters, digits and '-' only.")
            code = nil
        }
        let phone = errors.collect("phone") { try input.phone.map { try PhoneNumber(parsing: $0).e164 } } ?? nil
        let city = errors.optionalText("city", input.city, maximum: 80)
        let district = errors.optionalText("district", input.district, maximum: 80)
        let addressLine = errors.optionalText("addressLine", input.addressLine, maximum: 300)
        try errors.throwIfAny()
        return Branch(id: id, code: code!, name: name!, phone: phone, city: city, district: district, addressLine: addressLine, createdAt: at)
    }

    static func insert(_ branch: Branch, tenantID: UUID, sql: any SQLDatabase) async throws {
        do {
            try await sql.raw("""
                INSERT INTO branches (tenant_id, id, code, name, phone, city, district, address_line, created_at, updated_at)
                VALUES (\(bind: tenantID), \(bind: branch.id), \(bind: branch.code), \(bind: branch.name), \(bind: branch.phone),
                        \(bind: branch.city), \(bind: branch.district), \(bind: branch.addressLine), \(bind: branch.createdAt),
                        \(bind: branch.createdAt))
                """).run()
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError.invalid("code", .codeTaken, "A branch with code \(branch.code) exists already.")
        }
    }

    /// Throws `unknown_branch` unless the tenant has the branch.
    public static func requireExists(_ id: UUID, tenantID: UUID, sql: any SQLDatabase, field: String = "branchId") async throws {
        let found = try await sql.raw("SELECT id FROM branches WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)").first()
        guard found != nil else {
            throw DomainError.invalid(field, .unknownBranch, "The tenant has no branch \(id.uuidString).")
        }
    }
}
