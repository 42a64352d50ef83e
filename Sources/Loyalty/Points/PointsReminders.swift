import Contracts
import Foundation
import Kernel
import Notify
import Queue
import SQLKit
import Storage

/// A reminder that a customer's points are about to lapse: the lot soonest to lapse within the
/// tenant's `loyalty_reminder_days`. Checked again when its message goes, so points spent or
/// lapsed meanwhile stop it. Commercial (it is meant to bring the customer back): Notify sends it
/// only with commercial consent and never at night.
public struct PointsExpiryReminderJob: JobArgs, Equatable {
    public static let kind = "loyalty.points_reminder"
    public let customerId: UUID
    public let lotId: UUID

    /// The message's name for good: one reminder per lot.
    public var key: String { lotId.uuidString }
}

/// What a points reminder may still say: the lot's points left, when it lapses, the customer's branch.
public struct PointsReminderDue: Sendable {
    public let points: Int
    public let expiresAt: Date
    public let branchID: UUID
}

extension PointsService {
    /// Plans the reminders of `tenantID`'s lots lapsing within its reminder days, in `sql`: per
    /// customer, the lot soonest to lapse, unless its reminder went out already; how many it planned.
    static func planReminders(tenantID: UUID, now: Date, messageQueue: String, queue: JobQueue, sql: any SQLDatabase) async throws -> Int {
        let days = try await SettingsService.values(LoyaltySettings.declaration, tenantID: tenantID, sql: sql).integer("loyalty_reminder_days")
        guard days > 0 else { return 0 }
        let rows = try await sql.raw("""
            SELECT l.customer_id, l.id, l.expires_at,
                   \(unsafeRaw: PointsStore.lotRemaining) AS remaining
            FROM loyalty_entries l
            WHERE l.tenant_id = \(bind: tenantID) AND l.lot_id IS NULL
              AND l.expires_at > \(bind: now) AND l.expires_at <= \(bind: now.addingTimeInterval(Double(days) * 86_400))
              AND \(unsafeRaw: PointsStore.lotRemaining) > 0
            ORDER BY l.expires_at LIMIT 10000
            """).all()
        var soonest: [UUID: UUID] = [:]
        var order: [UUID] = []
        for row in rows {
            let customer = try row.decode(column: "customer_id", as: UUID.self)
            guard soonest[customer] == nil else { continue }
            soonest[customer] = try row.decode(column: "id", as: UUID.self)
            order.append(customer)
        }
        let jobs = order.map { PointsExpiryReminderJob(customerId: $0, lotId: soonest[$0]!) }
        let sent = try await MessageService.sentKeys(jobs.map { Notifier.pointsExpiryKey($0.key) }, tenantID: tenantID, sql: sql)
        var planned = 0
        for job in jobs where !sent.contains(Notifier.pointsExpiryKey(job.key)) {
            let id = try await queue.enqueue(job, options: JobOptions(queue: messageQueue, priority: 2, maxAttempts: 10,
                                                                      uniqueKey: "points-reminder:" + job.key, tenantID: tenantID), on: sql)
            if id != nil { planned += 1 }
        }
        return planned
    }

    /// Whether the reminder still stands: the lot has points left and has not lapsed.
    public func stillDue(_ job: PointsExpiryReminderJob, tenantID: UUID) async throws -> PointsReminderDue? {
        let now = clock.now()
        return try await database.read(.tenant(tenantID)) { sql in
            guard let row = try await sql.raw("""
                SELECT l.expires_at, c.branch_id FROM loyalty_entries l
                JOIN customers c ON c.tenant_id = l.tenant_id AND c.id = l.customer_id AND c.deleted_at IS NULL
                WHERE l.tenant_id = \(bind: tenantID) AND l.id = \(bind: job.lotId) AND l.customer_id = \(bind: job.customerId)
                """).first() else { return nil }
            let expiresAt = try row.decode(column: "expires_at", as: Date.self)
            let remaining = try await PointsStore.remaining(lotID: job.lotId, tenantID: tenantID, sql: sql)
            guard expiresAt > now, remaining > 0 else { return nil }
            return PointsReminderDue(points: remaining, expiresAt: expiresAt, branchID: try row.decode(column: "branch_id", as: UUID.self))
        }
    }
}
