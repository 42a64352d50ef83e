import Foundation
import Kernel
import Logging
import Queue

/// Hourly: expired and revoked sign-in tokens, and finished throttle windows, are deleted.
public struct PruneSessions: JobArgs {
    public static let kind = "kernel.prune_sessions"
    public init() {}

    /// The recurring schedule that enqueues it (installed when a worker starts; idempotent).
    static func schedule() throws -> Schedule {
        try Schedule(name: "kernel.prune-sessions", cron: try CronExpression("17 * * * *"), timeZone: TimeZone(identifier: "UTC")!,
                     args: PruneSessions(), options: JobOptions(queue: "default", priority: 2, maxAttempts: 5))
    }
}

struct PruneSessionsHandler: JobHandler {
    let kernel: Kernel

    func run(_ args: PruneSessions, context: JobContext) async throws {
        let pruned = try await kernel.sessionPruning.prune()
        context.logger.info("pruned sign-in leftovers", metadata: ["tokens": .stringConvertible(pruned.tokens), "throttles": .stringConvertible(pruned.throttles)])
    }
}
