import Contracts
import Foundation
import SQLKit
import Storage

/// A class of customer (Retail, Corporate, VIP, Staff, or the tenant's own) that price lists,
/// discounts and payment terms hang on.
public struct CustomerType: Sendable, Codable, Equatable {
    /// Stable code, e.g. `vip`.
    public let code: String
    public let name: String
    public let position: Int
}

public struct NewCustomerType: Sendable, Decodable {
    public var code: String?
    public var name: String?

    public init(code: String?, name: String?) {
        self.code = code
        self.name = name
    }
}

/// The tenant's customer types: four by default, more as the owner defines them.
public struct CustomerTypeService: Sendable {
    let database: any Database
    let clock: Clock

    static func defaults(english: Bool) -> [CustomerType] {
        [
            CustomerType(code: "retail", name: english ? "Retail" : "Bireysel", position: 1),
            CustomerType(code: "corporate", name: english ? "Corporate" : "Kurumsal", position: 2),
            CustomerType(code: "vip", name: "VIP", position: 3),
            CustomerType(code: "staff", name: english ? "Staff" : "Personel", position: 4),
        ]
    }

    public func list(_ principal: Principal) async throws -> [CustomerType] {
        try await database.read(.tenant(principal.tenantID)) { sql in
            try await Self.all(tenantID: principal.tenantID, sql: sql)
        }
    }

    public func create(_ input: NewCustomerType, by principal: Principal) async throws -> CustomerType {
        try principal.require(.manageTenant)
        var errors = FieldErrors()
        let code = errors.requiredText("code", input.code, maximum: 30)?.lowercased()
        if let code, !(code.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }) || code.count < 2 {
            errors.add("code", .invalidValue, "code must be 2–30 lowercase letters, digits or '_'.")
        }
        let name = errors.requiredText("name", input.name, maximum: 60)
        try errors.throwIfAny()
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let position = (try await Self.all(tenantID: principal.tenantID, sql: sql).map(\.position).max() ?? 0) + 1
            let type = CustomerType(code: code!, name: name!, position: position)
            do {
                try await Self.insert(type, tenantID: principal.tenantID, at: now, sql: sql)
            } catch where ConstraintViolation.isUnique(error) {
                throw DomainError.invalid("code", .codeTaken, "A customer type with code \(type.code) exists already.")
            }
            try await AuditLog.record(sql, tenantID: principal.tenantID, actor: principal.actor, action: "customer_type.create",
                                      entity: "customer_type", entityID: type.code, after: type, at: now)
            return type
        }
    }

    static func all(tenantID: UUID, sql: any SQLDatabase) async throws -> [CustomerType] {
        try await sql.raw("SELECT code, name, position FROM customer_types WHERE tenant_id = \(bind: tenantID) ORDER BY position")
            .all().map {
                CustomerType(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                             position: try $0.decode(column: "position", as: Int.self))
            }
    }

    static func insertDefaults(tenantID: UUID, english: Bool, at now: Date, sql: any SQLDatabase) async throws {
        for type in defaults(english: english) {
            try await insert(type, tenantID: tenantID, at: now, sql: sql)
        }
    }

    private static func insert(_ type: CustomerType, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO customer_types (tenant_id, code, name, position, created_at)
            VALUES (\(bind: tenantID), \(bind: type.code), \(bind: type.name), \(bind: type.position), \(bind: now))
            """).run()
    }
}
