import Contracts
import Foundation
import Kernel
import Notify
import Queue
import SQLKit
import Storage

/// Campaigns (F11): saved with their wording checked, run by the queue at their time (see
/// `CampaignRuns`), cancelled, and reported on.
public struct CampaignService: Sendable {
    let database: any Database
    let clock: KernelClock
    let jobs: JobQueue
    /// Where the runs go (`reminders`) and where their messages go (`notifications`).
    let queue: String
    let messageQueue: String

    public static let maximumText = 1_000
    public static let maximumName = 120
    public static let maximumSubject = 200
    public static let maximumLead: TimeInterval = 366 * 86_400
    public static let listed = 200

    /// Saves a campaign and plans its first run. The owner writes to anyone; a branch manager only
    /// to their own branch's customers (the audience's branch is theirs, filled in when left out).
    public func create(_ input: CampaignInput, by principal: Principal) async throws -> Campaign {
        try Self.requireManager(principal)
        var errors = FieldErrors()
        let now = clock.now()
        let name = errors.requiredText("name", input.name, maximum: Self.maximumName)
        var wording: CampaignWording?
        var plain: String?
        if let text = input.text {
            if errors.plainText("text", text, maximum: Self.maximumText) {
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("text", .invalidValue, "text must not be empty.") } else { plain = text }
            }
        } else {
            errors.add("text", .missingField, "text is required.")
        }
        let subject = errors.optionalText("subject", input.subject, maximum: Self.maximumSubject)
        if let plain {
            do { wording = try CampaignWording(text: plain, subject: subject) } catch {
                errors.add("text", .invalidValue, "text (or subject) cannot be sent: \(error)")
            }
        }
        let channel = input.channel.map { Campaign.Channel(rawValue: $0) } ?? .preferred
        if channel == nil { errors.add("channel", .invalidValue, "channel is preferred, sms or email.") }
        var audience = input.audience ?? CampaignAudience()
        if let days = audience.inactiveDays, !(1...3_650).contains(days) {
            errors.add("audience.inactiveDays", .invalidValue, "audience.inactiveDays must be between 1 and 3650.")
        }
        if let type = audience.customerType { errors.plainText("audience.customerType", type, maximum: 40) }
        if let confined = principal.confinedBranch {
            if let branch = audience.branchId, branch != confined {
                errors.add("audience.branchId", .invalidValue, "A branch manager writes to their own branch's customers only.")
            }
            audience.branchId = confined
        }
        let startsAt = input.startsAt ?? now
        if startsAt < now.addingTimeInterval(-300) || startsAt > now.addingTimeInterval(Self.maximumLead) {
            errors.add("startsAt", .invalidValue, "startsAt must be from now to a year ahead.")
        }
        if let days = input.repeatDays, !(1...365).contains(days) {
            errors.add("repeatDays", .invalidValue, "repeatDays must be between 1 and 365.")
        }
        try errors.throwIfAny()
        let tenantID = principal.tenantID
        let (queue, jobs) = (self.queue, self.jobs)
        let campaign = Campaign(id: UUID(), name: name!, text: wording!.text, subject: subject, channel: channel!, audience: audience,
                                startsAt: startsAt, repeatDays: input.repeatDays, status: .active, runs: 0, nextRunAt: startsAt, createdAt: now)
        return try await database.transaction(.tenant(tenantID)) { [audience] sql in
            if let type = audience.customerType, try await sql.raw("""
                SELECT code FROM customer_types WHERE tenant_id = \(bind: tenantID) AND code = \(bind: type)
                """).first() == nil {
                throw DomainError.invalid("audience.customerType", .unknownCustomerType, "The tenant has no customer type '\(type.prefix(40))'.")
            }
            if let branch = audience.branchId { try await BranchService.requireExists(branch, tenantID: tenantID, sql: sql, field: "audience.branchId") }
            try await sql.raw("""
                INSERT INTO loyalty_campaigns (tenant_id, id, name, body, subject, channel, customer_type, branch_id, inactive_days, starts_at,
                                               repeat_days, status, runs, next_run_at, created_by, created_at)
                VALUES (\(bind: tenantID), \(bind: campaign.id), \(bind: campaign.name), \(bind: campaign.text), \(bind: subject),
                        \(bind: campaign.channel.rawValue), \(bind: audience.customerType), \(bind: audience.branchId), \(bind: audience.inactiveDays),
                        \(bind: startsAt), \(bind: input.repeatDays), 'active', 0, \(bind: startsAt), \(bind: "user:" + principal.userID.uuidString),
                        \(bind: now))
                """).run()
            try await CampaignRuns.plan(campaign.id, run: 1, at: startsAt, now: now, tenantID: tenantID, queue: queue, jobs: jobs, sql: sql)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: audience.branchId, actor: principal.actor, action: "campaign.create",
                                      entity: "campaign", entityID: campaign.id.uuidString, after: campaign, at: now)
            return campaign
        }
    }

    /// The tenant's campaigns, newest first (a branch manager's: their branch's).
    public func list(by principal: Principal) async throws -> [Campaign] {
        try Self.requireManager(principal)
        let branch: any SQLExpression = principal.confinedBranch.map { SQLQueryString("AND branch_id = \(bind: $0)") } ?? SQLRaw("")
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM loyalty_campaigns WHERE tenant_id = \(bind: principal.tenantID) \(branch)
                ORDER BY created_at DESC, id \(SQLLimit(Self.listed))
                """).all().map(Self.decode)
        }
    }

    public func find(_ id: UUID, by principal: Principal) async throws -> Campaign {
        try Self.requireManager(principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in try await visible(id, principal: principal, sql: sql) }
    }

    /// Stops a campaign: no run starts after this, and its messages not sent yet are not sent.
    /// Cancelling it again changes nothing.
    public func cancel(_ id: UUID, by principal: Principal) async throws -> Campaign {
        try Self.requireManager(principal)
        let now = clock.now()
        let tenantID = principal.tenantID
        return try await database.transaction(.tenant(tenantID)) { sql in
            let campaign = try await visible(id, principal: principal, sql: sql, lock: true)
            guard campaign.status == .active else { return campaign }
            try await sql.raw("""
                UPDATE loyalty_campaigns SET status = 'cancelled', next_run_at = NULL WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)
                """).run()
            try await AuditLog.record(sql, tenantID: tenantID, branchID: campaign.audience.branchId, actor: principal.actor, action: "campaign.cancel",
                                      entity: "campaign", entityID: id.uuidString, at: now)
            return try await Self.load(id, tenantID: tenantID, sql: sql)!
        }
    }

    /// What became of the campaign's messages, each targeted customer counted once per run.
    public func report(_ id: UUID, by principal: Principal) async throws -> CampaignReport {
        try Self.requireManager(principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let campaign = try await visible(id, principal: principal, sql: sql)
            return try await Self.reports(of: [campaign], tenantID: principal.tenantID, sql: sql)[0]
        }
    }

    /// The tenant's newest campaigns (as `list`), each with its report, in two statements.
    public func listWithReports(by principal: Principal, limit: Int) async throws -> [(campaign: Campaign, report: CampaignReport)] {
        let campaigns = Array(try await list(by: principal).prefix(max(0, limit)))
        let reports = try await database.read(.tenant(principal.tenantID)) { sql in
            try await Self.reports(of: campaigns, tenantID: principal.tenantID, sql: sql)
        }
        return Array(zip(campaigns, reports))
    }

    /// The reports of `campaigns`, in their order. One outcome per target: the best its message
    /// reached on any channel.
    static func reports(of campaigns: [Campaign], tenantID: UUID, sql: any SQLDatabase) async throws -> [CampaignReport] {
        guard !campaigns.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT campaign_id, outcome, COUNT(*) AS customers, SUM(opted_out) AS opted_out FROM (
                SELECT t.campaign_id,
                       CASE WHEN MAX(CASE WHEN m.status IN ('delivered', 'read') THEN 1 ELSE 0 END) = 1 THEN 'delivered'
                            WHEN MAX(CASE WHEN m.status IN ('sent', 'sending', 'unconfirmed') THEN 1 ELSE 0 END) = 1 THEN 'sent'
                            WHEN MAX(CASE WHEN m.status = 'retrying' THEN 1 ELSE 0 END) = 1 THEN 'queued'
                            WHEN MAX(CASE WHEN m.status = 'failed' THEN 1 ELSE 0 END) = 1 THEN 'failed'
                            WHEN MAX(CASE WHEN m.reason LIKE 'no commercial consent%' THEN 1 ELSE 0 END) = 1 THEN 'skippedConsent'
                            WHEN COUNT(m.id) > 0 THEN 'skipped'
                            ELSE 'queued' END AS outcome,
                       MAX(CASE WHEN EXISTS (SELECT 1 FROM notify_consents k
                                             WHERE k.tenant_id = t.tenant_id AND k.customer_id = t.customer_id AND k.purpose = 'commercial'
                                               AND k.granted = \(bind: false) AND k.recorded_at >= t.targeted_at) THEN 1 ELSE 0 END) AS opted_out
                FROM loyalty_campaign_targets t
                LEFT JOIN notify_messages m ON m.tenant_id = t.tenant_id AND m.dedupe_key = t.message_key
                WHERE t.tenant_id = \(bind: tenantID) AND t.campaign_id \(SQLOneOf(campaigns.map(\.id)))
                GROUP BY t.campaign_id, t.run, t.customer_id
            ) outcomes GROUP BY campaign_id, outcome
            """).all()
        var counts: [UUID: [String: Int]] = [:]
        var optedOut: [UUID: Int] = [:]
        for row in rows {
            let id = try row.decode(column: "campaign_id", as: UUID.self)
            counts[id, default: [:]][try row.decode(column: "outcome", as: String.self)] = try row.decode(column: "customers", as: Int.self)
            optedOut[id, default: 0] += try row.decode(column: "opted_out", as: Int?.self) ?? 0
        }
        return campaigns.map { campaign in
            let counts = counts[campaign.id] ?? [:]
            return CampaignReport(campaignId: campaign.id, runs: campaign.runs, targeted: counts.values.reduce(0, +), queued: counts["queued"] ?? 0,
                                  sent: counts["sent"] ?? 0, delivered: counts["delivered"] ?? 0, failed: counts["failed"] ?? 0,
                                  skippedConsent: counts["skippedConsent"] ?? 0, skipped: counts["skipped"] ?? 0,
                                  optedOut: optedOut[campaign.id] ?? 0)
        }
    }

    private func visible(_ id: UUID, principal: Principal, sql: any SQLDatabase, lock: Bool = false) async throws -> Campaign {
        guard let campaign = try await Self.load(id, tenantID: principal.tenantID, sql: sql, lock: lock),
              principal.confinedBranch.map({ $0 == campaign.audience.branchId }) ?? true else { throw DomainError.notFound("The campaign") }
        return campaign
    }

    static func requireManager(_ principal: Principal) throws {
        try principal.require(oneOf: [.owner, .branchManager], to: "run campaigns")
    }

    static let columns = """
        id, name, body, subject, channel, customer_type, branch_id, inactive_days, starts_at, repeat_days, status, runs, next_run_at, created_at
        """

    static func load(_ id: UUID, tenantID: UUID, sql: any SQLDatabase, lock: Bool = false) async throws -> Campaign? {
        let locking: any SQLExpression = lock ? SQLLockingClause.update : SQLRaw("")
        return try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM loyalty_campaigns WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) \(locking)
            """).first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> Campaign {
        Campaign(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                 text: try row.decode(column: "body", as: String.self), subject: try row.decode(column: "subject", as: String?.self),
                 channel: try StoredValue.parse(Campaign.Channel.self, try row.decode(column: "channel", as: String.self), column: "loyalty_campaigns.channel"),
                 audience: CampaignAudience(customerType: try row.decode(column: "customer_type", as: String?.self),
                                            branchId: try row.decode(column: "branch_id", as: UUID?.self),
                                            inactiveDays: try row.decode(column: "inactive_days", as: Int?.self)),
                 startsAt: try row.decode(column: "starts_at", as: Date.self), repeatDays: try row.decode(column: "repeat_days", as: Int?.self),
                 status: try StoredValue.parse(Campaign.Status.self, try row.decode(column: "status", as: String.self), column: "loyalty_campaigns.status"),
                 runs: try row.decode(column: "runs", as: Int.self), nextRunAt: try row.decode(column: "next_run_at", as: Date?.self),
                 createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
