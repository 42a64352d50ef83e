import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage

/// Every minute: one job per tenant with a Netgsm account, which reads the delivery reports of
/// its recent messages and its inbox (opt-out replies). Netgsm allows 10 report queries a minute
/// per account; a tenant's job makes at most `reportCallsPerRun`.
public struct NetgsmPollAll: JobArgs {
    public static let kind = "notify.netgsm_poll"
    public init() {}

    public static func schedule(queue: String) throws -> Schedule {
        try Schedule(name: "notify.netgsm-poll", cron: try CronExpression("* * * * *"), timeZone: TimeZone(identifier: "UTC")!,
                     args: NetgsmPollAll(), options: JobOptions(queue: queue, priority: 1, maxAttempts: 3))
    }
}

/// One tenant's poll (the job's tenant).
public struct NetgsmPollTenant: JobArgs {
    public static let kind = "notify.netgsm_poll_tenant"
    public init() {}
}

public struct NetgsmPolling: Sendable {
    let database: any Database
    let settings: SettingsService
    let client: NetgsmSMS
    let queue: JobQueue
    let jobQueue: String
    let clock: KernelClock
    static let reportCallsPerRun = 5
    /// Netgsm's most job ids in one report query.
    static let jobsPerReportCall = 100
    /// Reports are asked for until a message is this old; after that it stays `sent`.
    static let reportWindow: TimeInterval = 3 * 24 * 3600

    /// Enqueues one poll per tenant with an account (a tenant's poll still pending is not doubled).
    public func fanOut(context: JobContext) async throws {
        let tenants = try await settings.tenants(setting: "netgsm_usercode", owner: NotifySettings.owner)
        let jobQueue = self.jobQueue
        try await context.complete(scope: .system) { sql in
            for tenant in tenants {
                _ = try await context.enqueue(NetgsmPollTenant(), options: JobOptions(queue: jobQueue, priority: 1, maxAttempts: 3,
                                                                                   uniqueKey: "netgsm-poll:\(tenant.uuidString)", tenantID: tenant), on: sql)
            }
        }
    }

    public func poll(context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a tenant's poll needs its tenant") }
        let options = try await settings.values(owner: NotifySettings.owner, tenantID: tenantID)
        let account: ChannelAccount
        do {
            account = try await ChannelAccount.read(for: client, options: options, settings: settings, tenantID: tenantID)
        } catch is SendFailure {
            throw JobOutcome.cancel("Netgsm is no longer set up")
        }
        // The inbox first, its opt-outs committed at once: Netgsm lists each message only once, so
        // an opt-out must not wait on the reports (or be lost with a run that fails after it).
        let inbound = try await Self.steady { try await client.inbox(account: account) }
        let now = clock.now()
        let optOuts = inbound.compactMap { message in
            NetgsmSMS.e164(sender: message.sender).flatMap { OptOut.isOptOut(message.message) ? ($0, message.message) : nil }
        }
        if !optOuts.isEmpty {
            try await database.transaction(.tenant(tenantID)) { sql in
                for (phone, text) in optOuts {
                    _ = try await OptOut.apply(phone: phone, channel: .sms, source: .smsReply, text: text, tenantID: tenantID, at: now, sql: sql)
                }
            }
        }
        // Jobs never asked about first, oldest first; then the ones asked about longest ago.
        let open = try await database.rows(.tenant(tenantID), """
            SELECT m.provider_id
            FROM notify_messages m
            LEFT JOIN notify_report_polls p ON p.tenant_id = m.tenant_id AND p.provider = m.provider AND p.provider_id = m.provider_id
            WHERE m.tenant_id = \(bind: tenantID) AND m.provider = 'netgsm' AND m.status = 'sent' AND m.provider_id IS NOT NULL
              AND m.sent_at > \(bind: now.addingTimeInterval(-Self.reportWindow))
            GROUP BY m.provider_id ORDER BY MAX(p.polled_at) IS NOT NULL, MAX(p.polled_at), MIN(m.sent_at), m.provider_id
            \(SQLLimit(Self.jobsPerReportCall * Self.reportCallsPerRun))
            """).map { try $0.decode(column: "provider_id", as: String.self) }
        var reports: [NetgsmSMS.ReportEntry] = []
        var start = 0
        while start < open.count {
            let batch = Array(open[start..<min(start + Self.jobsPerReportCall, open.count)])
            reports += try await Self.steady { try await client.report(jobIDs: batch, account: account) }
            start += Self.jobsPerReportCall
        }
        let (jobQueue, found) = (self.jobQueue, reports)
        try await context.complete { sql in
            for report in found {
                guard let (delivered, reason) = NetgsmSMS.delivery(status: report.status) else { continue }
                try await Self.apply(jobID: report.jobid, number: report.number, delivered: delivered, reason: reason, tenantID: tenantID, jobQueue: jobQueue,
                                     queue: queue, at: now, sql: sql)
            }
            // Every job asked about goes to the back of the line (one whose messages all have their
            // report is not asked about again), so that every open message gets its turn.
            try await sql.raw("""
                DELETE FROM notify_report_polls WHERE tenant_id = \(bind: tenantID) AND provider = 'netgsm'
                  AND polled_at < \(bind: now.addingTimeInterval(-Self.reportWindow - 86_400))
                """).run()
            guard !open.isEmpty else { return }
            var rows: SQLQueryString = ""
            for (index, id) in open.enumerated() {
                if index > 0 { rows.appendLiteral(", ") }
                rows.appendInterpolation("(\(bind: tenantID), 'netgsm', \(bind: id), \(bind: now))" as SQLQueryString)
            }
            try await sql.raw("""
                INSERT INTO notify_report_polls (tenant_id, provider, provider_id, polled_at) VALUES \(rows)
                ON CONFLICT (tenant_id, provider, provider_id) DO UPDATE SET polled_at = excluded.polled_at
                """).run()
        }
    }

    /// A delivered message is marked so; a failed one is marked failed and its job runs again,
    /// which goes on to the customer's next channel.
    static func apply(jobID: String, number: String?, delivered: Bool, reason: String, tenantID: UUID, jobQueue: String, queue: JobQueue,
                      at now: Date, sql: any SQLDatabase) async throws {
        // A job of many messages (one request, many numbers) reports each number on its own.
        let recipient: SQLQueryString = number.flatMap(NetgsmSMS.e164(sender:)).map { "AND recipient = \(bind: $0)" } ?? ""
        // Only a row still `sent` changes (a report read twice changes nothing the second time).
        let rows = try await sql.raw("""
            UPDATE notify_messages SET status = \(bind: delivered ? "delivered" : "failed"), reason = \(bind: delivered ? nil : reason),
                delivered_at = \(bind: delivered ? now : nil), updated_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND provider = 'netgsm' AND provider_id = \(bind: jobID) AND status = 'sent' \(recipient)
            RETURNING dedupe_key, order_id, message
            """).all()
        guard !delivered else { return }
        for row in rows {
            try await OrderMessageJob.resend(row, queue: jobQueue, tenantID: tenantID, on: queue, sql: sql)
        }
    }

    /// A provider's failure as the job's own (retry with backoff, or after the provider's wait).
    static func steady<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch SendFailure.retry(let reason, let after?) {
            throw JobOutcome.retry(after: after, reason: reason)
        }
    }
}
