import Contracts
import Foundation
import Kernel
import Notify
import Queue
import SQLKit
import Storage

/// An order ready and not picked up (F8), with how long it has waited and what it has cost.
public struct UncollectedOrder: Sendable, Encodable, Equatable {
    public let orderId: UUID
    public let number: String
    public let customerId: UUID
    public let branchId: UUID
    public let readyAt: Date
    public let daysWaiting: Int
    /// Waiting longer than `storage_risk_days`: at risk of being lost or mixed up.
    public let atRisk: Bool
    /// Storage fees posted for it so far.
    public let feesPosted: Money
}

/// Uncollected orders and their storage fees. A fee is posted once per period per order: each
/// period's entry carries the key `storage:<order>:<period>`, unique in the ledger, so however
/// many workers run the posting at once, one entry per period lands.
public struct StorageService: Sendable {
    let database: any Database
    let clock: KernelClock

    public static let maximumListed = 1_000
    /// How long after an order is collected a run still posts the periods that began before.
    static let catchUp: TimeInterval = 40 * 86_400

    /// The orders waiting, oldest first (a branch-bound user sees their branch's).
    public func uncollected(by principal: Principal) async throws -> [UncollectedOrder] {
        guard principal.role != .courier else { throw DomainError(.forbidden, "Couriers do not see the uncollected list.") }
        let now = clock.now()
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let policy = StoragePolicy(try await SettingsService.values(AccountsSettings.declaration, tenantID: principal.tenantID, sql: sql))
            let waiting = try await StorageWaits.waiting(tenantID: principal.tenantID, branchID: principal.confinedBranch, limit: Self.maximumListed, sql: sql)
            let fees = try await Self.feesPosted(waiting.map(\.orderID), tenantID: principal.tenantID, sql: sql)
            return waiting.map { order in
                let days = Int(now.timeIntervalSince(order.readyAt) / 86_400)
                return UncollectedOrder(orderId: order.orderID, number: order.number, customerId: order.customerID, branchId: order.branchID,
                                        readyAt: order.readyAt, daysWaiting: days, atRisk: days >= policy.riskDays, feesPosted: fees[order.orderID] ?? .zero)
            }
        }
    }

    /// Posts every storage fee of `tenantID` that is due by now and not posted yet; returns how many it posted.
    @discardableResult
    public func postFees(tenantID: UUID, sql: any SQLDatabase) async throws -> Int {
        let policy = StoragePolicy(try await SettingsService.values(AccountsSettings.declaration, tenantID: tenantID, sql: sql))
        guard policy.fee.minorUnits > 0, let tenant = try await TenantService.tenant(tenantID, sql: sql) else { return 0 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: tenant.timeZone) ?? TimeZone(identifier: TenantService.defaultTimeZone)!
        let now = clock.now()
        guard let freeBefore = calendar.date(byAdding: .day, value: -policy.freeDays, to: now) else { return 0 }
        var posted = 0
        // Orders collected lately are looked at too: a period that began before the order left
        // is owed even if no run posted it in time.
        let recently = now.addingTimeInterval(-Self.catchUp)
        for order in try await StorageWaits.waiting(tenantID: tenantID, readyBefore: freeBefore, collectedSince: recently, limit: 10_000, sql: sql) {
            let periods = policy.periodsBegun(readyAt: order.readyAt, now: min(now, order.collectedAt ?? now), calendar: calendar)
            for period in stride(from: 1, through: periods, by: 1) {
                let start = Self.periodStart(period, readyAt: order.readyAt, policy: policy, calendar: calendar) ?? now
                let entry = LedgerStore.NewEntry(customerID: order.customerID, kind: .storageFee, amount: policy.fee, orderID: order.orderID,
                                                 reason: "Bekletme ücreti \(order.number), \(period). \(policy.period == .day ? "gün" : "ay")",
                                                 sourceKey: "storage:\(order.orderID.uuidString):\(period)", occurredAt: start, recordedBy: "system")
                if try await LedgerStore.appendOnce(entry, tenantID: tenantID, at: now, sql: sql) { posted += 1 }
            }
        }
        return posted
    }

    /// Plans the reminders of `tenantID`'s waiting orders: for each, the latest step of
    /// `storage_reminder_days` reached (days since ready), as the sector's `uncollected_reminder`
    /// message on `messageQueue`; Notify's log sends a step once per wait. Returns how many it planned.
    @discardableResult
    func planReminders(tenantID: UUID, messageQueue: String, queue: JobQueue, sql: any SQLDatabase) async throws -> Int {
        let steps = PaymentReminders.steps(try await SettingsService.values(AccountsSettings.declaration, tenantID: tenantID, sql: sql)
            .text("storage_reminder_days"))
        guard !steps.isEmpty else { return 0 }
        let now = clock.now()
        var planned = 0
        for order in try await StorageWaits.waiting(tenantID: tenantID, limit: 10_000, sql: sql) {
            let days = Int(now.timeIntervalSince(order.readyAt) / 86_400)
            guard let step = steps.last(where: { $0 <= days }) else { continue }
            let job = OrderMessageJob.uncollectedReminder(orderID: order.orderID, readyAt: order.readyAt, step: step)
            var options = OrderMessageJob.options(queue: messageQueue)
            options.uniqueKey = "notify:" + job.key
            options.tenantID = tenantID
            if try await queue.enqueue(job, options: options, on: sql) != nil { planned += 1 }
        }
        return planned
    }

    /// When period `n` (1-based) of a wait begins: the end of the free days, then a day or a month after each.
    static func periodStart(_ n: Int, readyAt: Date, policy: StoragePolicy, calendar: Calendar) -> Date? {
        guard let freeEnd = calendar.date(byAdding: .day, value: policy.freeDays, to: readyAt) else { return nil }
        return calendar.date(byAdding: policy.period == .day ? .day : .month, value: n - 1, to: freeEnd)
    }

    static func feesPosted(_ orderIDs: [UUID], tenantID: UUID, sql: any SQLDatabase) async throws -> [UUID: Money] {
        guard !orderIDs.isEmpty else { return [:] }
        var fees: [UUID: Money] = [:]
        for row in try await sql.raw("""
            SELECT order_id, CAST(SUM(amount) AS BIGINT) AS fees FROM account_entries
            WHERE tenant_id = \(bind: tenantID) AND kind = 'storage_fee' AND order_id \(SQLOneOf(orderIDs)) GROUP BY order_id
            """).all() {
            fees[try row.decode(column: "order_id", as: UUID.self)] = Money(minorUnits: try row.decode(column: "fees", as: Int.self))
        }
        return fees
    }

    /// The tenants with orders waiting, for the daily sweep.
    static func tenantsWaiting(sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw("SELECT DISTINCT tenant_id FROM storage_waits WHERE collected_at IS NULL LIMIT 100000").all()
            .map { try $0.decode(column: "tenant_id", as: UUID.self) }
    }
}
