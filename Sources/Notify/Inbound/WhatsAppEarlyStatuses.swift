import Contracts
import Foundation
import Queue
import SQLKit
import Storage

/// WhatsApp statuses that come before their send is recorded. Meta may call the webhook while the
/// worker is still between the provider's answer and its record of it (the row is `sending`, with
/// no provider id yet). Such a status waits in `notify_whatsapp_early` and is applied by whichever
/// side comes second: the webhook, right after it has committed the status, or the worker, right
/// after it has committed the send. Each side commits its own part before it looks for the other's,
/// so one of them always sees both. A status a day old with no send is dropped.
extension WhatsAppWebhook {
    /// How long a status waits for its send.
    static let earlyStatusLifetime: TimeInterval = 86_400

    /// Keeps statuses whose send is not on record, then applies any whose send was recorded
    /// meanwhile; returns how many were applied.
    func hold(_ statuses: [Notification.Status], tenantID: UUID, at now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Self.earlyStatusLifetime)
        try await database.transaction(.tenant(tenantID)) { sql in
            try await sql.raw("DELETE FROM notify_whatsapp_early WHERE tenant_id = \(bind: tenantID) AND received_at < \(bind: cutoff)").run()
            for status in statuses {
                let failure = status.errors?.first
                let text = (failure?.errorData?.details ?? failure?.title).map { String($0.prefix(200)) }
                try await sql.raw("""
                    INSERT INTO notify_whatsapp_early (tenant_id, provider_id, status, error_code, error_text, received_at)
                    VALUES (\(bind: tenantID), \(bind: status.id), \(bind: status.status), \(bind: failure?.code), \(bind: text), \(bind: now))
                    ON CONFLICT DO NOTHING
                    """).run()
            }
        }
        return try await Self.applyEarly(providerIDs: Array(Set(statuses.map(\.id))), tenantID: tenantID, queue: queue, jobQueue: jobQueue,
                                         at: now, database: database)
    }

    /// Applies the waiting statuses of these message ids whose send is now on record, in the order
    /// they came (those of one call in the order of a message's life: delivered, read, failed), and
    /// drops them; returns how many moved their message on.
    static func applyEarly(providerIDs: [String], tenantID: UUID, queue: JobQueue, jobQueue: String, at now: Date,
                           database: any Database) async throws -> Int {
        guard !providerIDs.isEmpty else { return 0 }
        return try await database.transaction(.tenant(tenantID)) { sql in
            let rows = try await sql.raw("""
                SELECT provider_id, status, error_code, error_text FROM notify_whatsapp_early
                WHERE tenant_id = \(bind: tenantID) AND provider_id \(SQLOneOf(providerIDs))
                ORDER BY received_at, provider_id,
                         CASE status WHEN 'delivered' THEN 1 WHEN 'read' THEN 2 ELSE 3 END \(SQLLockingClause.update)
                """).all()
            var applied = 0
            for row in rows {
                let id = try row.decode(column: "provider_id", as: String.self)
                let state = try row.decode(column: "status", as: String.self)
                let code = try row.decode(column: "error_code", as: Int?.self)
                let text = try row.decode(column: "error_text", as: String?.self)
                let errors = state == "failed" ? [Notification.Failure(code: code, title: nil, errorData: .init(details: text))] : nil
                let result = try await apply(status: Notification.Status(id: id, status: state, errors: errors), tenantID: tenantID,
                                             queue: queue, jobQueue: jobQueue, at: now, sql: sql)
                if case .noMessage = result { continue }
                if case .applied = result { applied += 1 }
                try await sql.raw("""
                    DELETE FROM notify_whatsapp_early WHERE tenant_id = \(bind: tenantID) AND provider_id = \(bind: id) AND status = \(bind: state)
                    """).run()
            }
            return applied
        }
    }
}
