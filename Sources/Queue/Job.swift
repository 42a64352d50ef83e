import Foundation

/// The states a job goes through (see docs/queue.md for the diagram).
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Ready to run now.
    case available
    /// Waiting for its `runAt`.
    case scheduled
    /// Failed, waiting for its next attempt.
    case retryable
    /// Claimed by a worker that holds its lease.
    case running
    /// Done (kept only when a retention is configured; otherwise deleted at once).
    case completed
    /// Failed for good (attempts exhausted or a permanent error); kept for inspection and retry.
    case dead
    /// Cancelled by an operator or by its handler.
    case cancelled

    /// States in which a job waits to be claimed.
    public static let pending: [JobState] = [.available, .scheduled, .retryable]
    /// States in which a unique key is taken.
    public static let holdingUniqueKey: [JobState] = [.available, .scheduled, .retryable, .running]
}

/// The arguments of a kind of job: a stable kind name and a Codable payload.
public protocol JobArgs: Codable, Sendable {
    /// Stable name workers dispatch on, e.g. `notify.order_ready`. Never reuse one for another meaning.
    static var kind: String { get }
}

/// How a job is to be run.
public struct JobOptions: Sendable {
    public var queue: String
    /// Lower runs first: 0 urgent (an "order ready" SMS), 1 normal, 2 bulk (a campaign). 0–9.
    public var priority: Int
    /// Not before this time; nil for now.
    public var runAt: Date?
    public var maxAttempts: Int
    /// At most one job with this key is pending or running at a time; another enqueue is a no-op.
    public var uniqueKey: String?
    /// The tenant the job works for: used for fairness and shown to operators.
    public var tenantID: UUID?

    public init(queue: String = "default", priority: Int = 1, runAt: Date? = nil, maxAttempts: Int = 20, uniqueKey: String? = nil, tenantID: UUID? = nil) {
        self.queue = queue
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
        self.tenantID = tenantID
    }
}

/// A job ready to insert: kind, JSON arguments and options.
public struct NewJob: Sendable {
    public var kind: String
    public var args: String
    public var options: JobOptions

    public init<Args: JobArgs>(_ args: Args, options: JobOptions = JobOptions()) throws {
        kind = Args.kind
        self.args = String(decoding: try JobCoding.encoder.encode(args), as: UTF8.self)
        self.options = options
    }

    public init(kind: String, args: String, options: JobOptions) {
        self.kind = kind
        self.args = args
        self.options = options
    }
}

/// A job as a worker receives it.
public struct ClaimedJob: Sendable {
    public let id: Int64
    public let queue: String
    public let kind: String
    public let tenantID: UUID?
    public let args: String
    /// 1 on the first run.
    public let attempt: Int
    public let maxAttempts: Int
    public let createdAt: Date
    /// When it was meant to run, for pick-up latency.
    public let runAt: Date
    /// Its place in the claim order, when the engine reports it.
    public var position: ClaimPosition? = nil
}

/// A place in the claim order (priority, fair time, id): a worker's next claim can start after the
/// last job it took instead of re-reading the front of the index, where the jobs just claimed
/// leave entries until vacuum removes them.
public struct ClaimPosition: Sendable, Comparable {
    public let priority: Int
    public let fairAt: Date
    public let id: Int64

    public static func < (lhs: ClaimPosition, rhs: ClaimPosition) -> Bool {
        (lhs.priority, lhs.fairAt, lhs.id) < (rhs.priority, rhs.fairAt, rhs.id)
    }
}

/// A job as operators inspect it.
public struct JobRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let queue: String
    public let kind: String
    public let tenantId: UUID?
    public let args: String
    public let priority: Int
    public let state: JobState
    public let attempt: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let uniqueKey: String?
    public let leaseOwner: String?
    public let errors: [JobErrorEntry]
    public let createdAt: Date
    public let finalizedAt: Date?
}

/// One failed attempt.
public struct JobErrorEntry: Sendable, Codable, Equatable {
    public let attempt: Int
    public let at: Date
    public let error: String
}

enum JobCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// One decoder for every job's arguments (decoding keeps no state between calls).
    static let sharedDecoder = decoder()

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
