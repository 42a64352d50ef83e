import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing and verification, run on NIO's blocking thread pool so that a login never stalls
/// the threads serving other requests.
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor: 12 in production (about a quarter of a second a hash); tests lower it.
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4…31")
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of one verification without a stored hash, so that an unknown account answers
    /// as slowly as a wrong password and cannot be told apart by timing.
    public func verifyNothing(_ password: String) async throws {
        _ = try await hash(password)
    }
}
