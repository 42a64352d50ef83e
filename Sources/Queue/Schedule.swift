import Foundation

/// A recurring job: a cron expression evaluated in a time zone (a tenant's), firing exactly one
/// job per tick however many workers run.
public struct Schedule: Sendable, Equatable {
    public var name: String
    public var cron: CronExpression
    public var timeZone: TimeZone
    public var kind: String
    public var args: String
    public var options: JobOptions
    public var enabled: Bool

    public init<Args: JobArgs>(name: String, cron: CronExpression, timeZone: TimeZone, args: Args, options: JobOptions = JobOptions(), enabled: Bool = true) throws {
        self.name = name
        self.cron = cron
        self.timeZone = timeZone
        self.kind = Args.kind
        self.args = String(decoding: try JobCoding.encoder.encode(args), as: UTF8.self)
        self.options = options
        self.enabled = enabled
    }

    public static func == (lhs: Schedule, rhs: Schedule) -> Bool {
        lhs.name == rhs.name && lhs.cron == rhs.cron && lhs.timeZone == rhs.timeZone && lhs.kind == rhs.kind && lhs.args == rhs.args
    }
}

extension JobOptions: Equatable {
    public static func == (lhs: JobOptions, rhs: JobOptions) -> Bool {
        lhs.queue == rhs.queue && lhs.priority == rhs.priority && lhs.runAt == rhs.runAt && lhs.maxAttempts == rhs.maxAttempts
            && lhs.uniqueKey == rhs.uniqueKey && lhs.tenantID == rhs.tenantID
    }
}
