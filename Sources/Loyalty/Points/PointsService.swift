import Accounts
import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Points to redeem at the counter or the till.
public struct RedemptionInput: Sendable, Decodable {
    public var points: Int?
    public var reason: String?
    public var orderId: UUID?

    public init(points: Int?, reason: String? = nil, orderId: UUID? = nil) {
        self.points = points
        self.reason = reason
        self.orderId = orderId
    }
}

/// What a redemption took, lot by lot, and what is left; towards an order, with the discount it
/// posted on the customer's account when the tenant's points are worth money.
public struct Redemption: Sendable, Encodable, Equatable {
    public let points: Int
    public let entries: [PointsEntry]
    public let balance: Int
    /// Kuruş taken off the order (`loyalty_point_value` per point).
    public var discount: Money?
    public var accountEntryId: UUID?
}

/// A customer's points (F9): lots earned on sales or loaded, spent oldest-to-lapse first, lapsing
/// lot by lot. Every movement is an entry; the balance is what the live lots hold.
public struct PointsService: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock

    public static let maximumReason = 200
    public static let listedEntries = 100
    public static let listedLots = 100

    /// The customer's usable points (their lots that have not lapsed), the lots and the latest movements.
    public func account(customerID: UUID, by principal: Principal) async throws -> PointsAccount {
        _ = try await customers.get(customerID, by: principal)
        let now = clock.now()
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let lots = try await PointsStore.lots(customerID: customerID, tenantID: principal.tenantID, sql: sql).filter { $0.expiresAt > now }
            let entries = try await PointsStore.entries(customerID: customerID, tenantID: principal.tenantID, limit: Self.listedEntries, sql: sql)
            return PointsAccount(customerId: customerID, points: lots.reduce(0) { $0 + $1.remaining }, lots: Array(lots.prefix(Self.listedLots)),
                                 entries: entries)
        }
    }

    /// Spends points from the lots soonest to lapse; refuses (409 `insufficient_points`) when the
    /// live lots hold fewer. Concurrent redemptions of one customer queue on the customer's lock.
    /// Towards an order, when the tenant's points are worth money, the same transaction takes
    /// their worth off the order as a discount on the customer's account (at most what it costs).
    public func redeem(_ input: RedemptionInput, customerID: UUID, by principal: Principal) async throws -> Redemption {
        try principal.require(.writeOrders)
        var errors = FieldErrors()
        if let points = input.points {
            if !(1...PointsStore.maximumMovement).contains(points) {
                errors.add("points", .invalidValue, "points must be between 1 and \(PointsStore.maximumMovement).")
            }
        } else {
            errors.add("points", .missingField, "points is required.")
        }
        let reason = errors.optionalText("reason", input.reason, maximum: Self.maximumReason)
        try errors.throwIfAny()
        let wanted = input.points ?? 0
        let customer = try await customers.get(customerID, by: principal)
        let tenantID = principal.tenantID
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            if let orderID = input.orderId {
                guard let order = try await OrderFacts.read(orderID: orderID, tenantID: tenantID, sql: sql), order.customerID == customerID,
                      order.reachable(by: principal) else {
                    throw DomainError.invalid("orderId", .invalidValue, "orderId must be an order of this customer.")
                }
            }
            try await PointsStore.lock(customerID: customerID, tenantID: tenantID, sql: sql)
            let lots = try await PointsStore.lots(customerID: customerID, tenantID: tenantID, sql: sql).filter { $0.expiresAt > now }
            let available = lots.reduce(0) { $0 + $1.remaining }
            guard available >= wanted else {
                throw DomainError(.insufficientPoints, "The customer has \(available) points; \(wanted) cannot be redeemed.",
                                  context: ["availablePoints": [String(available)]])
            }
            var left = wanted
            var taken: [PointsEntry] = []
            for lot in lots where left > 0 {
                let take = min(lot.remaining, left)
                left -= take
                let entry = PointsStore.NewEntry(customerID: customerID, kind: .redeem, points: -take, lotID: lot.id, orderID: input.orderId,
                                                 reason: reason, occurredAt: now, recordedBy: "user:" + principal.userID.uuidString)
                if let posted = try await PointsStore.insert(entry, tenantID: tenantID, at: now, sql: sql) { taken.append(posted) }
            }
            var redemption = Redemption(points: wanted, entries: taken, balance: available - wanted)
            let value = try await SettingsService.values(LoyaltySettings.declaration, tenantID: tenantID, sql: sql).integer("loyalty_point_value")
            if let orderID = input.orderId, value > 0 {
                let discount = Money(minorUnits: wanted * value)
                let entry = try await FeatureEntries.discount(discount, orderID: orderID, reason: "Puan kullanımı: \(wanted) puan",
                                                              recordedBy: "user:" + principal.userID.uuidString, tenantID: tenantID, at: now, sql: sql)
                redemption.discount = discount
                redemption.accountEntryId = entry.id
            }
            try await AuditLog.record(sql, tenantID: tenantID, branchID: customer.branchId, actor: principal.actor, action: "loyalty.redeem",
                                      entity: "customer", entityID: customerID.uuidString, after: redemption, at: now)
            return redemption
        }
    }

    /// Lots expired in one transaction (each holds its customer's lock until the commit).
    public static let expiryBatch = 500

    /// Posts the expiry of up to `expiryBatch` lots of `tenantID` that lapsed by `now` with points
    /// left, once per lot however many runs meet; how many lots it expired.
    public static func expireLapsed(tenantID: UUID, now: Date, sql: any SQLDatabase) async throws -> Int {
        var expired = 0
        for lapsed in try await PointsStore.lapsed(tenantID: tenantID, now: now, limit: expiryBatch, sql: sql) {
            try await PointsStore.lock(customerID: lapsed.customerID, tenantID: tenantID, sql: sql)
            // Read again under the lock: a redemption may have taken from the lot since.
            let remaining = try await PointsStore.remaining(lotID: lapsed.lotID, tenantID: tenantID, sql: sql)
            guard remaining > 0 else { continue }
            let entry = PointsStore.NewEntry(customerID: lapsed.customerID, kind: .expire, points: -remaining, lotID: lapsed.lotID,
                                             reason: "Süresi doldu", sourceKey: "expire:" + lapsed.lotID.uuidString, occurredAt: now,
                                             recordedBy: "system")
            if try await PointsStore.insert(entry, tenantID: tenantID, at: now, sql: sql) != nil { expired += 1 }
        }
        return expired
    }

    /// Tenants with a lot that lapses by `moment` (the daily run's list).
    static func tenantsLapsing(by moment: Date, sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw("""
            SELECT DISTINCT tenant_id FROM loyalty_entries WHERE lot_id IS NULL AND expires_at <= \(bind: moment) LIMIT 100000
            """).all().map { try $0.decode(column: "tenant_id", as: UUID.self) }
    }
}
