#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SQLKit

/// The queue's notion of now, in whole microseconds since 1970 (UTC). Arithmetic on queue times
/// (leases, rate limits, retries) is done on these integers; `Date`s are made from them only to
/// bind a value into SQL.
public struct QueueClock: Sendable {
    private let read: @Sendable () -> Int64

    /// A clock reading `microseconds` since 1970 (tests pass one they control).
    public init(microseconds: @escaping @Sendable () -> Int64) {
        read = microseconds
    }

    /// The system's wall clock.
    public static let system = QueueClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }

    public var microseconds: Int64 { read() }
    public var now: Date { Date(queueMicroseconds: read()) }
}

extension Date {
    /// The instant `microseconds` after 1970.
    init(queueMicroseconds microseconds: Int64) {
        self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}

/// Where a driver's time comes from: PostgreSQL's `now()` (the clock its hot paths use, so that
/// worker clocks do not matter), or an injected clock (SQLite, in one process).
enum QueueTime: Sendable {
    case database
    case clock(QueueClock)

    /// Now, in microseconds: inside a PostgreSQL transaction, the transaction's `now()`.
    func microseconds(on sql: any SQLDatabase) async throws -> Int64 {
        switch self {
        case .clock(let clock):
            return clock.microseconds
        case .database:
            // `extract` returns numeric (exact) since PostgreSQL 14.
            let row = try await sql.raw("SELECT CAST(extract(epoch FROM now()) * 1000000 AS BIGINT) AS t").first()
            guard let row else { throw QueueDataError("the database did not say what time it is") }
            return try row.decode(column: "t", as: Int64.self)
        }
    }

    func now(on sql: any SQLDatabase) async throws -> Date {
        Date(queueMicroseconds: try await microseconds(on: sql))
    }
}
