import Foundation
import Synchronization

/// Signed-in sessions this process has checked lately, by the hash of their token, so that a
/// request need not join tokens, users and tenants again.
///
/// An entry holds the tenant's revocation counter (`auth_epochs`) as read together with the session;
/// it serves a request only while the counter still reads the same. The counter moves in the
/// transaction of every change that can end or narrow a session — sign-out, password change or
/// reset, a role, branch, name or status change, a tenant's suspension — by triggers in the
/// database, so whichever process made the change, the next request anywhere reads a new counter,
/// drops the entry and looks the session up afresh. (On SQLite, where one process makes every change,
/// the process's own count of committed changes to the counters stands in for reading them.)
/// Entries also lapse after `lifetime` and when
/// their token expires; the cache holds at most `capacity` of them.
final class PrincipalCache: Sendable {
    /// A session as read, with what decides whether it may still answer.
    struct Entry: Sendable {
        /// Who the session stands for (with the origin of the request that read it).
        let principal: Principal
        let expiresAt: Date
        /// The tenant's revocation counter when the session was read.
        let epoch: Int64
        /// On an engine that counts changes in-process, its count of changes to the counters
        /// just before the session was read.
        let localChanges: UInt64?
        /// When this process read the session.
        let checkedAt: Date
        /// When the token's use was last recorded (`auth_tokens.last_used_at`).
        var lastUsedAt: Date?

        var tenantID: UUID { principal.tenantID }
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: TimeInterval = 60, capacity: Int = 20_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The entry of `tokenHash` if it is still within its lifetime and its token's.
    func entry(_ tokenHash: String, now: Date) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.expiresAt > now, now.timeIntervalSince(entry.checkedAt) < lifetime else {
                entries[tokenHash] = nil
                return nil
            }
            return entry
        }
    }

    func store(_ entry: Entry, for tokenHash: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[tokenHash] == nil {
                entries = entries.filter { $0.value.expiresAt > now && now.timeIntervalSince($0.value.checkedAt) < lifetime }
                // Still full of live sessions: start afresh rather than grow (each is one look-up away).
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[tokenHash] = entry
        }
    }

    func recordUse(_ tokenHash: String, at now: Date) {
        entries.withLock { $0[tokenHash]?.lastUsedAt = now }
    }

    func remove(_ tokenHash: String) {
        _ = entries.withLock { $0.removeValue(forKey: tokenHash) }
    }
}
