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
    /// Taken off every line of this type's orders, in basis points (1500 = 15 %).
    public var discountBasisPoints: Int = 0
    /// Prices replacing the catalog's for this type, by catalog code, VAT included (kuruş).
    public var priceList: [String: Money] = [:]

    init(code: String, name: String, position: Int, discountBasisPoints: Int = 0, priceList: [String: Money] = [:]) {
        self.code = code
        self.name = name
        self.position = position
        self.discountBasisPoints = discountBasisPoints
        self.priceList = priceList
    }

    var terms: PriceTerms {
        PriceTerms(discountBasisPoints: discountBasisPoints, priceList: priceList)
    }
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
    static let maximumListPrices = 500

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
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "customer_type.create",
                                      entity: "customer_type", entityID: type.code, after: type, at: now)
            return type
        }
    }

    /// Sets the discount and price list of a type (F4: "VIP −15 %", corporate list prices).
    public func setPricing(_ code: String, _ terms: PriceTerms, by principal: Principal) async throws -> CustomerType {
        try principal.require(.manageTenant)
        var errors = FieldErrors()
        if !PriceLimits.discountBasisPoints.contains(terms.discountBasisPoints) {
            errors.add("discountBasisPoints", .invalidValue, "discountBasisPoints must be 0–10000 (10000 = 100 %).")
        }
        if terms.priceList.count > Self.maximumListPrices {
            errors.add("priceList", .invalidValue, "A price list has at most \(Self.maximumListPrices) prices.")
        }
        for (service, price) in terms.priceList.sorted(by: { $0.key < $1.key }) {
            guard errors.plainText("priceList", service, maximum: 40) else { continue }
            if !PriceLimits.price.contains(price.minorUnits) {
                errors.add("priceList.\(service)", .invalidValue, "a list price must be 0 – 1 000 000,00 in kuruş (0–100000000).")
            }
        }
        try errors.throwIfAny()
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            guard let before = try await Self.all(tenantID: principal.tenantID, sql: sql).first(where: { $0.code == code }) else {
                throw DomainError.notFound("The customer type '\(code.prefix(40))'")
            }
            try await sql.raw("""
                UPDATE customer_types SET discount_bp = \(bind: terms.discountBasisPoints),
                    price_list = \(SQLJSON(try StoredJSON.encode(terms.priceList)))
                WHERE tenant_id = \(bind: principal.tenantID) AND code = \(bind: code)
                """).run()
            var after = before
            after.discountBasisPoints = terms.discountBasisPoints
            after.priceList = terms.priceList
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "customer_type.pricing",
                                      entity: "customer_type", entityID: code, before: before, after: after, at: now)
            return after
        }
    }

    static func all(tenantID: UUID, sql: any SQLDatabase) async throws -> [CustomerType] {
        try await sql.raw("""
            SELECT code, name, position, discount_bp, price_list FROM customer_types WHERE tenant_id = \(bind: tenantID) ORDER BY position
            """).all().map {
                CustomerType(
                    code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                    position: try $0.decode(column: "position", as: Int.self), discountBasisPoints: try $0.decode(column: "discount_bp", as: Int.self),
                    priceList: try StoredJSON.decode([String: Money].self, from: $0.decode(column: "price_list", as: String.self))
                )
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
