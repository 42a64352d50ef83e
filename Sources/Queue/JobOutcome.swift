import Foundation

/// What a handler may throw to steer its job, besides any other error (which retries with backoff).
public enum JobOutcome: Error, Sendable {
    /// Try again after this delay; counts as an attempt.
    case retry(after: Duration, reason: String)
    /// Give up now: the job becomes dead and stays for inspection (invalid number, blocked account).
    case permanent(String)
    /// Nothing to do any more: the job is cancelled.
    case cancel(String)
    /// Not now (a rate limit): run again after the delay without using up an attempt.
    case snooze(Duration)
}

/// Exponential backoff with jitter: attempt⁴ seconds plus up to 10 % more, at least one second,
/// at most a day. Attempts 1…5 wait about 1 s, 16 s, 81 s, 4 min, 10 min.
public struct Backoff: Sendable {
    public let jitter: @Sendable () -> Double

    public init(jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<0.1) }) {
        self.jitter = jitter
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        let base = pow(Double(max(attempt, 1)), 4)
        let seconds = min(max(base * (1 + jitter()), 1), 86_400)
        return .milliseconds(Int64(seconds * 1000))
    }
}

extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Whole microseconds, the unit of the queue's times.
    var microseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
