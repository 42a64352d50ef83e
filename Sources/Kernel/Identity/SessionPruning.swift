import Foundation
import SQLKit
import Storage

/// Forgets what sign-ins leave behind once it is of no use: tokens that expired or were revoked
/// more than `retention` ago (the audit log keeps who signed in when), and throttle counts whose
/// window and lock have ended. Run hourly by a scheduled job (`crm worker`, or `crm serve` on SQLite).
public struct SessionPruning: Sendable {
    let database: any Database
    let clock: Clock
    let throttleWindow: Duration

    public struct Pruned: Sendable, Equatable {
        public let tokens: Int
        public let throttles: Int
    }

    public func prune(retention: Duration = .seconds(30 * 86_400)) async throws -> Pruned {
        let now = clock.now()
        let tokenCutoff = now.addingTimeInterval(-TimeInterval(retention.components.seconds))
        let throttleCutoff = now.addingTimeInterval(-TimeInterval(throttleWindow.components.seconds))
        return try await database.transaction(.system) { sql in
            let tokens = try await sql.raw("""
                DELETE FROM auth_tokens WHERE expires_at < \(bind: tokenCutoff) OR revoked_at < \(bind: tokenCutoff) RETURNING id
                """).all().count
            let throttles = try await LoginThrottle.prune(before: throttleCutoff, sql: sql)
            return Pruned(tokens: tokens, throttles: throttles)
        }
    }
}
