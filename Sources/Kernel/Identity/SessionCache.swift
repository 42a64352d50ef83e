import Foundation
import Synchronization

/// Sessions this process has checked lately (a user's sign-in, a till's device key), by the hash
/// of their secret, so that a request need not join tokens, users and tenants again.
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
public final class SessionCache<Holder: Sendable>: Sendable {
    /// A session as read, with what decides whether it may still answer.
    public struct Entry: Sendable {
        /// Who the session stands for (with the origin of the request that read it).
        public let holder: Holder
        public let tenantID: UUID
        public let expiresAt: Date
        /// The tenant's revocation counter when the session was read.
        public let epoch: Int64
        /// On an engine that counts changes in-process, its count of changes to the counters
        /// just before the session was read.
        public let localChanges: UInt64?
        /// When this process read the session.
        public let checkedAt: Date
        /// When the secret's use was last recorded (`last_used_at`).
        public var lastUsedAt: Date?

        public init(holder: Holder, tenantID: UUID, expiresAt: Date, epoch: Int64, localChanges: UInt64?, checkedAt: Date, lastUsedAt: Date?) {
            self.holder = holder
            self.tenantID = tenantID
            self.expiresAt = expiresAt
            self.epoch = epoch
            self.localChanges = localChanges
            self.checkedAt = checkedAt
            self.lastUsedAt = lastUsedAt
        }
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    public init(lifetime: TimeInterval = 60, capacity: Int = 20_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The entry of `tokenHash` if it is still within its lifetime and its token's.
    public func entry(_ tokenHash: String, now: Date) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.expiresAt > now, now.timeIntervalSince(entry.checkedAt) < lifetime else {
                entries[tokenHash] = nil
                return nil
            }
            return entry
        }
    }

    public func store(_ entry: Entry, for tokenHash: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[tokenHash] == nil {
                entries = entries.filter { $0.value.expiresAt > now && now.timeIntervalSince($0.value.checkedAt) < lifetime }
                // Still full of live sessions: start afresh rather than grow (each is one look-up away).
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[tokenHash] = entry
        }
    }

    /// Whether the caller is to record the secret's use (`last_used_at`) now: at most once every
    /// `interval`, which is enough to show "last active" and cheap for busy desks. The mark is set
    /// here, under the lock, so that the requests arriving meanwhile do not all write it too.
    public func claimUseRecord(_ tokenHash: String, entry: Entry, at now: Date, interval: TimeInterval = 300) -> Bool {
        entries.withLock { entries in
            let last = entries[tokenHash]?.lastUsedAt ?? entry.lastUsedAt
            guard last.map({ now.timeIntervalSince($0) > interval }) ?? true else { return false }
            entries[tokenHash]?.lastUsedAt = now
            return true
        }
    }

    public func remove(_ tokenHash: String) {
        _ = entries.withLock { $0.removeValue(forKey: tokenHash) }
    }
}

/// The sessions of signed-in users.
typealias PrincipalCache = SessionCache<Principal>
