import Contracts
import Foundation
import SQLKit
import Storage

/// Slows down, then refuses for a while, repeated failed logins for one account or from one address.
///
/// Attempts are counted per key (`account:<tenant>:<email>`, `address:<ip>`, stored only as their
/// SHA-256) in a sliding window. Each attempt is counted atomically *before* its password is
/// checked, so a burst of parallel guesses cannot slip past the limit while bcrypt runs; a
/// successful sign-in then clears its account's count and takes itself back off its address's.
/// From `slowAfter` earlier failures on, an attempt waits `baseDelay × 2^(failures − slowAfter)`
/// (at most `maximumDelay`) before it is answered; an attempt beyond `lockAfter` failures locks the
/// key for `lockDuration`. The counts live in the database, so every API server shares them.
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
        /// Stored forms (hashes) of the keys.
        let account: String
        let address: String?

        var all: [String] { [account] + (address.map { [$0] } ?? []) }
    }

    /// `email` must already be normalised (`EmailAddress.normalized`).
    static func keys(tenantSlug: String, email: String, address: String?) -> Keys {
        Keys(account: Tokens.hash("account:\(tenantSlug.lowercased()):\(email)"), address: address.map { Tokens.hash("address:\($0)") })
    }

    /// Attempts at the current password when changing it: per user, and per address like sign-ins.
    static func passwordChangeKeys(userID: UUID, address: String?) -> Keys {
        Keys(account: Tokens.hash("password:\(userID.uuidString)"), address: address.map { Tokens.hash("address:\($0)") })
    }

    /// Counts this attempt against every key, then refuses while a key is locked or past its limit;
    /// otherwise returns how long to wait before answering.
    func admit(_ keys: Keys, now: Date) async throws -> Duration {
        let cutoff = now.addingTimeInterval(-seconds(policy.window))
        let until = now.addingTimeInterval(seconds(policy.lockDuration))
        let (lockedUntil, earlier) = try await database.transaction(.system) { sql in
            var earlier = 0
            var lockedUntil: Date?
            for key in keys.all {
                let limit = key == keys.account ? policy.accountLockAfter : policy.addressLockAfter
                // One statement counts and reads, so that parallel attempts each see their own count.
                // While locked nothing is counted (the lock ends when it says); once a lock or the
                // window is over, counting starts again from this attempt.
                guard let row = try await sql.raw("""
                    INSERT INTO login_throttle (key, failures, window_started_at) VALUES (\(bind: key), 1, \(bind: now))
                    ON CONFLICT (key) DO UPDATE SET
                        failures = CASE WHEN login_throttle.locked_until > \(bind: now) THEN login_throttle.failures
                                        WHEN login_throttle.locked_until IS NOT NULL OR login_throttle.window_started_at < \(bind: cutoff) THEN 1
                                        ELSE login_throttle.failures + 1 END,
                        window_started_at = CASE WHEN login_throttle.locked_until > \(bind: now) THEN login_throttle.window_started_at
                                        WHEN login_throttle.locked_until IS NOT NULL OR login_throttle.window_started_at < \(bind: cutoff) THEN \(bind: now)
                                        ELSE login_throttle.window_started_at END,
                        locked_until = CASE WHEN login_throttle.locked_until > \(bind: now) THEN login_throttle.locked_until END
                    RETURNING failures, locked_until
                    """).first() else { continue }
                let attempts = try row.decode(column: "failures", as: Int.self)
                if let locked = try row.decode(column: "locked_until", as: Date?.self), locked > now {
                    lockedUntil = max(lockedUntil ?? locked, locked)
                } else if attempts > limit {
                    try await sql.raw("""
                        UPDATE login_throttle SET locked_until = \(bind: until), failures = 0, window_started_at = \(bind: now)
                        WHERE key = \(bind: key)
                        """).run()
                    lockedUntil = max(lockedUntil ?? until, until)
                }
                earlier = max(earlier, attempts - 1)
            }
            return (lockedUntil, earlier)
        }
        if let lockedUntil {
            let wait = Int(lockedUntil.timeIntervalSince(now).rounded(.up))
            throw DomainError(.loginThrottled, "Too many failed sign-ins; try again in \(max(1, wait / 60)) minute(s).", retryAfterSeconds: wait)
        }
        return policy.delay(afterFailures: earlier)
    }

    /// A successful sign-in: its account starts afresh, and its address no longer counts it.
    func recordSuccess(_ keys: Keys) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: keys.account)").run()
            if let address = keys.address {
                try await sql.raw("""
                    UPDATE login_throttle SET failures = failures - 1 WHERE key = \(bind: address) AND failures > 0
                    """).run()
            }
        }
    }

    /// Runs a password check; when the hasher was too busy to run it, the attempt is taken back,
    /// so that a flood cannot spend other people's tries.
    func refundingBusy<T: Sendable>(_ keys: Keys, _ check: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await check()
        } catch let error as DomainError where error.code == .unavailable {
            try await refund(keys)
            throw error
        }
    }

    /// Takes back an attempt that was counted but never checked (the server was too busy to hash it).
    func refund(_ keys: Keys) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                UPDATE login_throttle SET failures = failures - 1 WHERE key IN (\(binds: keys.all)) AND failures > 0
                """).run()
        }
    }

    /// Forgets windows and locks that ended before `cutoff` (a maintenance job).
    static func prune(before cutoff: Date, sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("""
            DELETE FROM login_throttle WHERE window_started_at < \(bind: cutoff) AND (locked_until IS NULL OR locked_until < \(bind: cutoff))
            RETURNING key
            """).all().count
    }

    private func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
