import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Stamps as an append-only ledger (`loyalty_stamps`): a purchase adds stamps to a card, a reward
/// takes `stampsNeeded` of them away and names the coupon it issued. A customer's stamps on a card
/// are the sum. Earning runs in the transaction of the purchase, with the customer's loyalty held
/// (`PointsStore.lock`), so two purchases at once never both cash the same stamps in.
enum StampStore {
    static let columns = "id, name, stamps_needed, services, reward_amount, reward_valid_days, active, created_at"

    static func decode(_ row: any SQLRow) throws -> StampCard {
        StampCard(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                  stampsNeeded: try row.decode(column: "stamps_needed", as: Int.self),
                  services: try StoredJSON.decode([String].self, from: try row.decode(column: "services", as: String.self)),
                  rewardAmount: Money(minorUnits: try row.decode(column: "reward_amount", as: Int.self)),
                  rewardValidDays: try row.decode(column: "reward_valid_days", as: Int.self),
                  active: try row.decode(column: "active", as: Bool.self), createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    /// One card, locked for the transaction's change when `lock` is set.
    static func find(_ id: UUID, tenantID: UUID, lock: Bool = false, sql: any SQLDatabase) async throws -> StampCard? {
        let locking: any SQLExpression = lock ? SQLLockingClause.update : SQLRaw("")
        return try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM loyalty_stamp_cards WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) \(locking)
            """).first().map(decode)
    }

    static func activeCards(tenantID: UUID, sql: any SQLDatabase) async throws -> [StampCard] {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM loyalty_stamp_cards WHERE tenant_id = \(bind: tenantID) AND active = \(bind: true) ORDER BY created_at, id
            """).all().map(decode)
    }

    /// Stamps for a handed-over order: per card, one for each item of its services (every order
    /// earns one on a card without services); once per order and card.
    static func earn(order: OrderFacts, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        let cards = try await activeCards(tenantID: tenantID, sql: sql)
        guard !cards.isEmpty else { return }
        var items: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT service_code, COUNT(*) AS items FROM order_items WHERE tenant_id = \(bind: tenantID) AND order_id = \(bind: order.orderID)
            GROUP BY service_code
            """).all() {
            items[try row.decode(column: "service_code", as: String.self)] = try row.decode(column: "items", as: Int.self)
        }
        let earned = cards.map { card in (card, card.services.isEmpty ? 1 : card.services.reduce(0) { $0 + (items[$1] ?? 0) }) }
        try await add(earned, customerID: order.customerID, source: "order:" + order.orderID.uuidString, tenantID: tenantID, at: now, sql: sql)
    }

    /// A till sale earns one stamp on each card without services (a till sale carries no items).
    static func earn(saleID: UUID, customerID: UUID, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        let cards = try await activeCards(tenantID: tenantID, sql: sql).filter(\.services.isEmpty)
        try await add(cards.map { ($0, 1) }, customerID: customerID, source: "pos:" + saleID.uuidString, tenantID: tenantID, at: now, sql: sql)
    }

    private static func add(_ earned: [(StampCard, Int)], customerID: UUID, source: String, tenantID: UUID, at now: Date,
                            sql: any SQLDatabase) async throws {
        let earned = earned.filter { $0.1 > 0 }
        guard !earned.isEmpty else { return }
        try await PointsStore.lock(customerID: customerID, tenantID: tenantID, sql: sql)
        for (card, stamps) in earned {
            let inserted = try await sql.raw("""
                INSERT INTO loyalty_stamps (tenant_id, id, card_id, customer_id, stamps, source_key, occurred_at)
                VALUES (\(bind: tenantID), \(bind: UUID()), \(bind: card.id), \(bind: customerID), \(bind: min(stamps, 1_000)),
                        \(bind: source + ":" + card.id.uuidString), \(bind: now))
                ON CONFLICT (tenant_id, source_key) DO NOTHING
                RETURNING id
                """).first() != nil
            guard inserted else { continue }
            var held = try await balance(card: card.id, customerID: customerID, tenantID: tenantID, sql: sql)
            var reward = 0
            while held >= card.stampsNeeded {
                reward += 1
                try await redeem(card, customerID: customerID, source: source, reward: reward, tenantID: tenantID, at: now, sql: sql)
                held -= card.stampsNeeded
            }
        }
    }

    /// Exchanges `stampsNeeded` stamps for a coupon of the card's reward, for the customer.
    private static func redeem(_ card: StampCard, customerID: UUID, source: String, reward: Int, tenantID: UUID, at now: Date,
                               sql: any SQLDatabase) async throws {
        var random = SystemRandomNumberGenerator()
        var coupon: Coupon
        repeat {
            let code = CouponCode.make(using: &random)
            coupon = Coupon(id: UUID(), code: CouponCode.shown(code), batchId: card.id, customerId: customerID, kind: .amount,
                            value: card.rewardAmount.minorUnits, minimumBasket: nil, validFrom: now,
                            validUntil: now.addingTimeInterval(Double(card.rewardValidDays) * 86_400), status: .issued, discount: nil, orderId: nil,
                            createdAt: now)
            if try await CouponStore.insert(coupon, code: code, tenantID: tenantID, by: "system", sql: sql) { break }
        } while true
        try await sql.raw("""
            INSERT INTO loyalty_stamps (tenant_id, id, card_id, customer_id, stamps, source_key, coupon_id, occurred_at)
            VALUES (\(bind: tenantID), \(bind: UUID()), \(bind: card.id), \(bind: customerID), \(bind: -card.stampsNeeded),
                    \(bind: "\(source):\(card.id.uuidString):reward:\(reward)"), \(bind: coupon.id), \(bind: now))
            """).run()
    }

    static func balance(card: UUID, customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            SELECT CAST(COALESCE(SUM(stamps), 0) AS BIGINT) AS stamps FROM loyalty_stamps
            WHERE tenant_id = \(bind: tenantID) AND card_id = \(bind: card) AND customer_id = \(bind: customerID)
            """).first()?.decode(column: "stamps", as: Int.self) ?? 0
    }

    /// The customer's stamps on every active card.
    static func stamps(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> [CustomerStamps] {
        try await sql.raw("""
            SELECT k.id, k.name, k.stamps_needed,
                   (SELECT CAST(COALESCE(SUM(s.stamps), 0) AS BIGINT) FROM loyalty_stamps s
                    WHERE s.tenant_id = k.tenant_id AND s.card_id = k.id AND s.customer_id = \(bind: customerID)) AS stamps
            FROM loyalty_stamp_cards k WHERE k.tenant_id = \(bind: tenantID) AND k.active = \(bind: true) ORDER BY k.created_at, k.id
            """).all().map {
            CustomerStamps(cardId: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                           stamps: try $0.decode(column: "stamps", as: Int.self), stampsNeeded: try $0.decode(column: "stamps_needed", as: Int.self))
        }
    }
}
