import Contracts
import Foundation
import Kernel
import Logging
import Notify
import Queue
import SQLKit
import Storage

/// One run of a campaign: picks its audience and queues a message to each customer picked.
public struct CampaignRunJob: JobArgs, Equatable {
    public static let kind = "loyalty.campaign_run"
    public let campaignId: UUID
    /// 1 for the first run, then 2, 3 … for a campaign that repeats.
    public let run: Int
}

/// A campaign's message to one customer in one run.
public struct CampaignMessageJob: JobArgs, Equatable {
    public static let kind = "loyalty.campaign_message"
    public let campaignId: UUID
    public let run: Int
    public let customerId: UUID

    /// The message log's key: once per (campaign, run, customer), however often the job runs.
    public var key: String { "campaign:\(campaignId.uuidString):\(run):\(customerId.uuidString)" }
}

/// What a campaign's message still needs when it goes: the wording and channels, the customer's
/// branch (its name and phone are variables) and usable points.
public struct CampaignMessageDue: Sendable {
    public let wording: CampaignWording
    public let channels: [MessageChannel]?
    public let branchID: UUID
    public let points: Int
}

/// The queue's side of campaigns: each run a job at its time, each message a job of its own, on
/// the bulk priority and spread in the fair order (`JobQueue.enqueueBatch`), so other tenants'
/// messages are not stuck behind a large campaign.
public struct CampaignRuns: Sendable {
    let database: any Database
    let clock: KernelClock
    let jobs: JobQueue
    let queue: String
    let messageQueue: String

    static let batch = 1_000

    /// Plans run `run` of the campaign at `at`, in `sql` (with the change that calls for it).
    static func plan(_ campaignID: UUID, run: Int, at: Date, now: Date, tenantID: UUID, queue: String, jobs: JobQueue, sql: any SQLDatabase) async throws {
        _ = try await jobs.enqueue(CampaignRunJob(campaignId: campaignID, run: run),
                                   options: JobOptions(queue: queue, priority: 2, runAt: at > now ? at : nil, maxAttempts: 10,
                                                       uniqueKey: "campaign-run:\(campaignID.uuidString):\(run)", tenantID: tenantID),
                                   on: sql)
    }

    /// Picks the audience a batch at a time and queues their messages, then records the run and
    /// plans the next. Started again after a crash, it picks no one twice: the message jobs and
    /// targets are keyed by (campaign, run, customer), and a message goes once per key.
    public func run(_ job: CampaignRunJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a campaign run needs its tenant") }
        let now = clock.now()
        guard let campaign = try await database.read(.tenant(tenantID), { sql in try await CampaignService.load(job.campaignId, tenantID: tenantID, sql: sql) }),
              campaign.status == .active, campaign.runs == job.run - 1 else {
            throw JobOutcome.cancel("the campaign was cancelled, or this run was made")
        }
        var after: Int64 = 0
        var picked = 0
        while true {
            let customers = try await database.read(.tenant(tenantID)) { [after] sql in
                try await Self.audience(campaign.audience, after: after, tenantID: tenantID, now: now, sql: sql)
            }
            guard let last = customers.last else { break }
            let messages = customers.map { CampaignMessageJob(campaignId: campaign.id, run: job.run, customerId: $0.id) }
            try await jobs.enqueueBatch(try messages.map {
                try NewJob($0, options: JobOptions(queue: messageQueue, priority: 2, maxAttempts: 10, uniqueKey: "campaign-message:" + $0.key, tenantID: tenantID))
            })
            // Recorded after its job is queued: a crash in between queues it again on the next try
            // (the message still goes once, by its key), never leaves a target without a message.
            try await database.transaction(.tenant(tenantID)) { sql in
                let values = messages.map { message -> SQLQueryString in
                    "(\(bind: tenantID), \(bind: campaign.id), \(bind: job.run), \(bind: message.customerId), \(bind: message.key), \(bind: now))"
                }
                try await sql.raw("""
                    INSERT INTO loyalty_campaign_targets (tenant_id, campaign_id, run, customer_id, message_key, targeted_at)
                    VALUES \(SQLList(values, separator: SQLRaw(", ")))
                    ON CONFLICT (tenant_id, campaign_id, run, customer_id) DO NOTHING
                    """).run()
            }
            picked += customers.count
            after = last.seq
            if customers.count < Self.batch { break }
        }
        let (queue, jobs) = (self.queue, self.jobs)
        try await context.complete { sql in
            guard let current = try await CampaignService.load(campaign.id, tenantID: tenantID, sql: sql, lock: true),
                  current.status == .active, current.runs == job.run - 1 else { return }
            let next = campaign.repeatDays.map { campaign.startsAt.addingTimeInterval(Double(job.run * $0) * 86_400) }
            try await sql.raw("""
                UPDATE loyalty_campaigns SET runs = \(bind: job.run), next_run_at = \(bind: next), status = \(bind: next == nil ? "finished" : "active")
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: campaign.id)
                """).run()
            if let next {
                try await Self.plan(campaign.id, run: job.run + 1, at: next, now: now, tenantID: tenantID, queue: queue, jobs: jobs, sql: sql)
            }
        }
        context.logger.info("campaign run", metadata: ["campaign": .string(campaign.id.uuidString), "run": .stringConvertible(job.run),
                                                       "customers": .stringConvertible(picked)])
    }

    /// What the message still needs, or nil when it is not to go (the campaign was cancelled, the card deleted).
    public func due(_ job: CampaignMessageJob, tenantID: UUID) async throws -> CampaignMessageDue? {
        let now = clock.now()
        return try await database.read(.tenant(tenantID)) { sql in
            guard let campaign = try await CampaignService.load(job.campaignId, tenantID: tenantID, sql: sql), campaign.status != .cancelled,
                  let row = try await sql.raw("""
                      SELECT branch_id FROM customers WHERE tenant_id = \(bind: tenantID) AND id = \(bind: job.customerId) AND deleted_at IS NULL
                      """).first() else { return nil }
            let wording: CampaignWording
            do { wording = try CampaignWording(text: campaign.text, subject: campaign.subject) } catch {
                throw JobOutcome.permanent("the campaign's wording no longer parses: \(error)")
            }
            return CampaignMessageDue(wording: wording, channels: campaign.channel.channels,
                                      branchID: try row.decode(column: "branch_id", as: UUID.self),
                                      points: try await PointsStore.usable(customerID: job.customerId, tenantID: tenantID, at: now, sql: sql))
        }
    }

    /// The next batch of the audience's customers after `after` (their `seq`), in card order.
    static func audience(_ audience: CampaignAudience, after: Int64, tenantID: UUID, now: Date, sql: any SQLDatabase) async throws -> [(id: UUID, seq: Int64)] {
        var conditions: [SQLQueryString] = []
        if let type = audience.customerType { conditions.append("AND c.customer_type = \(bind: type)") }
        if let branch = audience.branchId { conditions.append("AND c.branch_id = \(bind: branch)") }
        if let days = audience.inactiveDays {
            let since = now.addingTimeInterval(-Double(days) * 86_400)
            conditions.append("""
                AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id AND o.created_at > \(bind: since))
                AND NOT EXISTS (SELECT 1 FROM pos_sales s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id AND s.occurred_at > \(bind: since))
                """)
        }
        return try await sql.raw("""
            SELECT c.id, c.seq FROM customers c
            WHERE c.tenant_id = \(bind: tenantID) AND c.deleted_at IS NULL AND c.seq > \(bind: after) \(SQLList(conditions, separator: SQLRaw(" ")))
            ORDER BY c.seq \(SQLLimit(batch))
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "seq", as: Int64.self)) }
    }
}
