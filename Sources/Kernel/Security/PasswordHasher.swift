import Contracts
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt hashing and verification on a thread pool of its own, with a cap on how many hashes may
/// wait for it: a flood of sign-ins queues behind `threads` hashes at a time (and is refused with
/// 503 past `maximumWaiting`), while database work keeps the shared pool to itself.
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor: 12 in production (about a quarter of a second a hash); tests lower it.
    public let cost: UInt8
    private let pool: HashingPool

    public init(cost: UInt8 = 12, threads: Int = 2, maximumWaiting: Int = 64) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4…31")
        self.cost = cost
        self.pool = HashingPool(threads: max(1, threads), maximumWaiting: max(1, maximumWaiting))
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.run { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.run { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of one verification without a stored hash, so that an unknown account answers
    /// as slowly as a wrong password and cannot be told apart by timing.
    public func verifyNothing(_ password: String) async throws {
        _ = try await hash(password)
    }
}

/// The hasher's threads, for the life of the process (one kernel per process; its threads idle
/// when nobody signs in).
final class HashingPool: Sendable {
    private let pool: NIOThreadPool
    private let maximumWaiting: Int
    private let admitted = Mutex(0)

    init(threads: Int, maximumWaiting: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        self.maximumWaiting = maximumWaiting
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admittedNow = admitted.withLock { count -> Bool in
            guard count < maximumWaiting else { return false }
            count += 1
            return true
        }
        guard admittedNow else {
            throw DomainError(.unavailable, "Too many sign-ins at once; try again in a moment.", retryAfterSeconds: 1)
        }
        defer { admitted.withLock { $0 -= 1 } }
        return try await pool.runIfActive(work)
    }
}
