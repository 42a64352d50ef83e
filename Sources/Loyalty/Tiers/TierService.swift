import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Tiers (F9): the owner's ladder by spend over the rolling year, with a points multiplier per
/// rung; a customer's standing on it, kept current on every purchase and by the daily run.
public struct TierService: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock

    public func ladder(by principal: Principal) async throws -> [Tier] {
        try await database.read(.tenant(principal.tenantID)) { sql in try await TierStore.ladder(tenantID: principal.tenantID, sql: sql) }
    }

    /// Replaces the ladder (owner only; an empty list ends tiers). Up to 10 rungs, distinct codes,
    /// distinct minimums; a multiplier from 100 to 1000 per cent. Audited as loyalty_tiers.set.
    public func setLadder(_ input: TierLadderInput, by principal: Principal) async throws -> [Tier] {
        try principal.require(oneOf: [.owner], to: "set the tiers")
        var errors = FieldErrors()
        guard let rungs = input.items else { throw DomainError.invalid("items", .missingField, "items is required (an empty list ends tiers).") }
        guard rungs.count <= TierStore.maximumRungs else {
            throw DomainError.invalid("items", .invalidValue, "A ladder has at most \(TierStore.maximumRungs) tiers.")
        }
        var tiers: [Tier] = []
        for (index, rung) in rungs.enumerated() {
            let field = "items[\(index)]"
            let code = rung.code
            if let code {
                if !(1...20).contains(code.utf8.count) || !code.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5f }) {
                    errors.add("\(field).code", .invalidValue, "\(field).code is 1 to 20 of a-z, 0-9 and _.")
                }
            } else {
                errors.add("\(field).code", .missingField, "\(field).code is required.")
            }
            let name = errors.requiredText("\(field).name", rung.name, maximum: 60)
            if let minimum = rung.minimumSpend {
                if !(0...Money.maximum.minorUnits).contains(minimum.minorUnits) {
                    errors.add("\(field).minimumSpend", .invalidValue, "\(field).minimumSpend must be between 0 and \(Money.maximum.minorUnits) kuruş.")
                }
            } else {
                errors.add("\(field).minimumSpend", .missingField, "\(field).minimumSpend is required.")
            }
            let multiplier = rung.pointsMultiplier ?? 100
            if !(100...1_000).contains(multiplier) {
                errors.add("\(field).pointsMultiplier", .invalidValue, "\(field).pointsMultiplier must be between 100 and 1000 (per cent).")
            }
            if let code, let name, let minimum = rung.minimumSpend {
                tiers.append(Tier(code: code, name: name, minimumSpend: minimum, pointsMultiplier: multiplier))
            }
        }
        if Set(tiers.map(\.code)).count < tiers.count { errors.add("items", .invalidValue, "Each tier has a code of its own.") }
        if Set(tiers.map(\.minimumSpend.minorUnits)).count < tiers.count { errors.add("items", .invalidValue, "Each tier has a minimumSpend of its own.") }
        try errors.throwIfAny()
        let ladder = tiers.sorted { $0.minimumSpend.minorUnits < $1.minimumSpend.minorUnits }
        let tenantID = principal.tenantID
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            let before = try await TierStore.ladder(tenantID: tenantID, sql: sql)
            try await sql.raw("DELETE FROM loyalty_tiers WHERE tenant_id = \(bind: tenantID)").run()
            for tier in ladder {
                try await sql.raw("""
                    INSERT INTO loyalty_tiers (tenant_id, code, name, minimum_spend, points_multiplier)
                    VALUES (\(bind: tenantID), \(bind: tier.code), \(bind: tier.name), \(bind: tier.minimumSpend.minorUnits), \(bind: tier.pointsMultiplier))
                    """).run()
            }
            try await AuditLog.record(sql, tenantID: tenantID, branchID: nil, actor: principal.actor, action: "loyalty_tiers.set",
                                      entity: "loyalty_tiers", entityID: nil, before: before, after: ladder, at: now)
            return ladder
        }
    }

    /// Where the customer stands (staff who may see the customer).
    public func standing(customerID: UUID, by principal: Principal) async throws -> TierStanding {
        _ = try await customers.get(customerID, by: principal)
        let tenantID = principal.tenantID
        return try await database.read(.tenant(tenantID)) { sql in
            let ladder = try await TierStore.ladder(tenantID: tenantID, sql: sql)
            let spend = try await TierStore.yearSpend(customerID: customerID, tenantID: tenantID, sql: sql)
            let next = ladder.first { $0.minimumSpend.minorUnits > spend.minorUnits }
            return TierStanding(tier: TierStore.tier(for: spend, ladder: ladder), yearSpend: spend, nextTier: next,
                                toNextTier: next.map { Money(minorUnits: $0.minimumSpend.minorUnits - spend.minorUnits) })
        }
    }
}
