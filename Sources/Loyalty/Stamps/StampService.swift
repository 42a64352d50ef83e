import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Stamp cards (F9): defined by the owner, earned on handed-over orders and till sales (see
/// `StampStore`), shown on the customer card and at the till.
public struct StampService: Sendable {
    let database: any Database
    let customers: CustomerService
    let sectors: SectorService
    let clock: KernelClock

    public static let maximumCards = 20
    public static let maximumServices = 50

    /// Adds a stamp card (owner only; at most 20 active). Audited as stamp_card.add.
    public func add(_ input: StampCardInput, by principal: Principal) async throws -> StampCard {
        try principal.require(oneOf: [.owner], to: "define stamp cards")
        var errors = FieldErrors()
        let name = errors.requiredText("name", input.name, maximum: 120)
        if let needed = input.stampsNeeded {
            if !(2...100).contains(needed) { errors.add("stampsNeeded", .invalidValue, "stampsNeeded must be between 2 and 100.") }
        } else {
            errors.add("stampsNeeded", .missingField, "stampsNeeded is required.")
        }
        let services = input.services ?? []
        if services.count > Self.maximumServices { errors.add("services", .invalidValue, "services names at most \(Self.maximumServices) services.") }
        if let amount = input.rewardAmount {
            if !(1...CouponService.maximumAmount).contains(amount.minorUnits) {
                errors.add("rewardAmount", .invalidValue, "rewardAmount must be between 1 and \(CouponService.maximumAmount) kuruş.")
            }
        } else {
            errors.add("rewardAmount", .missingField, "rewardAmount is required.")
        }
        let validDays = input.rewardValidDays ?? 90
        if !(1...1_830).contains(validDays) { errors.add("rewardValidDays", .invalidValue, "rewardValidDays must be between 1 and 1830.") }
        try errors.throwIfAny()
        let tenantID = principal.tenantID
        let catalog = Set(try await sectors.catalog(principal).map(\.item.code))
        if let unknown = services.first(where: { !catalog.contains($0) }) {
            throw DomainError.invalid("services", .unknownService, "The catalog has no service '\(unknown.prefix(60))'.")
        }
        let now = clock.now()
        let card = StampCard(id: UUID(), name: name!, stampsNeeded: input.stampsNeeded!, services: Array(Set(services)).sorted(),
                             rewardAmount: input.rewardAmount!, rewardValidDays: validDays, active: true, createdAt: now)
        return try await database.transaction(.tenant(tenantID)) { sql in
            guard try await StampStore.activeCards(tenantID: tenantID, sql: sql).count < Self.maximumCards else {
                throw DomainError(.conflict, "At most \(Self.maximumCards) stamp cards may be in use; retire one first.")
            }
            try await sql.raw("""
                INSERT INTO loyalty_stamp_cards (tenant_id, id, name, stamps_needed, services, reward_amount, reward_valid_days, active,
                                                 created_by, created_at)
                VALUES (\(bind: tenantID), \(bind: card.id), \(bind: card.name), \(bind: card.stampsNeeded), \(SQLJSON(try StoredJSON.encode(card.services))),
                        \(bind: card.rewardAmount.minorUnits), \(bind: validDays), \(bind: true), \(bind: "user:" + principal.userID.uuidString), \(bind: now))
                """).run()
            try await AuditLog.record(sql, tenantID: tenantID, branchID: nil, actor: principal.actor, action: "stamp_card.add",
                                      entity: "stamp_card", entityID: card.id.uuidString, after: card, at: now)
            return card
        }
    }

    /// The tenant's stamp cards, retired ones too, oldest first.
    public func list(by principal: Principal) async throws -> [StampCard] {
        try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: StampStore.columns) FROM loyalty_stamp_cards WHERE tenant_id = \(bind: principal.tenantID)
                ORDER BY created_at, id LIMIT 500
                """).all().map(StampStore.decode)
        }
    }

    /// Retires a card: it earns nothing more. Retiring it again changes nothing. Audited as stamp_card.retire.
    public func retire(_ id: UUID, by principal: Principal) async throws -> StampCard {
        try principal.require(oneOf: [.owner], to: "retire stamp cards")
        let tenantID = principal.tenantID
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            // Locked: two retirements at once audit one.
            guard let card = try await StampStore.find(id, tenantID: tenantID, lock: true, sql: sql) else {
                throw DomainError.notFound("The stamp card")
            }
            guard card.active else { return card }
            try await sql.raw("UPDATE loyalty_stamp_cards SET active = \(bind: false) WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)").run()
            try await AuditLog.record(sql, tenantID: tenantID, branchID: nil, actor: principal.actor, action: "stamp_card.retire",
                                      entity: "stamp_card", entityID: id.uuidString, at: now)
            return try await StampStore.find(id, tenantID: tenantID, sql: sql) ?? card
        }
    }

    /// A customer's stamps on the active cards (staff who may see the customer).
    public func stamps(customerID: UUID, by principal: Principal) async throws -> [CustomerStamps] {
        _ = try await customers.get(customerID, by: principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await StampStore.stamps(customerID: customerID, tenantID: principal.tenantID, sql: sql)
        }
    }
}
