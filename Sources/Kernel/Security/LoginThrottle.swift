import Contracts
import Foundation
import SQLKit
import Storage

/// Slows down, then refuses for a while, repeated failed logins for one account or from one address.
///
/// Failures are counted per key (`account:<tenant>:<email>`, `address:<ip>`) in a sliding window.
/// From `slowAfter` failures on, each attempt waits `baseDelay × 2^(failures − slowAfter)` (at most
/// `maximumDelay`) before it is answered; at `lockAfter` failures the key is refused outright for
/// `lockDuration`. A successful login clears its account's count. The counts live in the database,
/// so every API server shares them.
public struct LoginThrottlePolicy: Sendable {
    public var window: Duration = .seconds(15 * 60)
    public var slowAfter = 3
    public var baseDelay: Duration = .milliseconds(500)
    public var maximumDelay: Duration = .seconds(8)
    public var accountLockAfter = 5
    /// Higher than the account's: many people may share an office's address.
    public var addressLockAfter = 30
    public var lockDuration: Duration = .seconds(15 * 60)

    public init() {}

    /// The wait before answering an attempt when `failures` are on record.
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures >= slowAfter else { return .zero }
        let exponent = min(failures - slowAfter, 16)
        return min(baseDelay * (1 << exponent), maximumDelay)
    }
}

struct LoginThrottle: Sendable {
    let policy: LoginThrottlePolicy
    let database: any Database

    struct Keys: Sendable {
        let account: String
        let address: String?

        var all: [String] { [account] + (address.map { [$0] } ?? []) }
    }

    static func keys(tenantSlug: String, email: String, address: String?) -> Keys {
        Keys(account: "account:\(tenantSlug.lowercased()):\(email.lowercased())", address: address.map { "address:\($0)" })
    }

    /// Refuses while a key is locked; otherwise returns how long to wait before answering.
    func admit(_ keys: Keys, now: Date) async throws -> Duration {
        let cutoff = now.addingTimeInterval(-seconds(policy.window))
        let rows = try await database.read(.system) { sql in
            try await sql.raw("""
                SELECT key, failures, window_started_at, locked_until FROM login_throttle WHERE key IN (\(binds: keys.all))
                """).all().map { row in
                    (failures: try row.decode(column: "failures", as: Int.self),
                     windowStart: try row.decode(column: "window_started_at", as: Date.self),
                     lockedUntil: try row.decode(column: "locked_until", as: Date?.self))
                }
        }
        if let lockedUntil = rows.compactMap(\.lockedUntil).filter({ $0 > now }).max() {
            let wait = Int(lockedUntil.timeIntervalSince(now).rounded(.up))
            throw DomainError(.loginThrottled, "Too many failed sign-ins; try again in \(max(1, wait / 60)) minute(s).", retryAfterSeconds: wait)
        }
        let failures = rows.filter { $0.windowStart > cutoff }.map(\.failures).max() ?? 0
        return policy.delay(afterFailures: failures)
    }

    /// Counts a failure against every key; locks the keys that reach their limit.
    func recordFailure(_ keys: Keys, now: Date) async throws {
        let cutoff = now.addingTimeInterval(-seconds(policy.window))
        try await database.transaction(.system) { sql in
            for key in keys.all {
                let limit = key == keys.account ? policy.accountLockAfter : policy.addressLockAfter
                let failures = try await sql.raw("""
                    INSERT INTO login_throttle (key, failures, window_started_at) VALUES (\(bind: key), 1, \(bind: now))
                    ON CONFLICT (key) DO UPDATE SET
                        failures = CASE WHEN login_throttle.window_started_at < \(bind: cutoff) THEN 1 ELSE login_throttle.failures + 1 END,
                        window_started_at = CASE WHEN login_throttle.window_started_at < \(bind: cutoff) THEN \(bind: now) ELSE login_throttle.window_started_at END
                    RETURNING failures
                    """).first(decodingColumn: "failures", as: Int.self) ?? 1
                if failures >= limit {
                    // The lock ends a fresh window: after it, counting starts again from zero.
                    let until = now.addingTimeInterval(seconds(policy.lockDuration))
                    try await sql.raw("""
                        UPDATE login_throttle SET locked_until = \(bind: until), failures = 0, window_started_at = \(bind: now)
                        WHERE key = \(bind: key)
                        """).run()
                }
            }
        }
    }

    func recordSuccess(_ keys: Keys) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: keys.account)").run()
        }
    }

    private func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
