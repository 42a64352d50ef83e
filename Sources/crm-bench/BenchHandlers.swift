import Foundation
import Queue
import SQLKit
import Storage

/// Job kinds for measuring and for the queue's process-level tests. Not part of the product.
struct NoopJob: JobArgs {
    static let kind = "bench.noop"
    let n: Int
}

/// Records every execution in `bench_executions` (committed on its own, before the work: a job may
/// run more than once), and its effect in `bench_effects` inside the transaction that completes the
/// job, which commits once per job. Neither table has a unique key, so that a duplicate shows.
struct RecordJob: JobArgs {
    static let kind = "bench.record"
    let n: Int
    /// Sleep this long first, so that a test can kill the worker mid-job.
    var sleepMilliseconds: Int?
    /// Sleep only on the first attempt (the run after a kill finishes at once).
    var sleepFirstAttemptOnly: Bool?
}

/// Prints when it starts, for pick-up latency.
struct LatencyJob: JobArgs {
    static let kind = "bench.latency"
    let n: Int
}

struct NoopHandler: JobHandler {
    func run(_ args: NoopJob, context: JobContext) async throws {}
}

struct RecordHandler: JobHandler {
    let worker: String
    let database: any Database

    func run(_ args: RecordJob, context: JobContext) async throws {
        let worker = self.worker
        try await database.transaction(.system) { sql in
            try await sql.raw("INSERT INTO bench_executions (n, worker) VALUES (\(bind: args.n), \(bind: worker))").run()
        }
        if let sleep = args.sleepMilliseconds, args.sleepFirstAttemptOnly != true || context.job.attempt == 1 {
            try await Task.sleep(for: .milliseconds(sleep))
        }
        // The bench's jobs belong to no tenant.
        try await context.complete(scope: .system) { sql in
            try await sql.raw("INSERT INTO bench_effects (n, worker) VALUES (\(bind: args.n), \(bind: worker))").run()
        }
    }
}

struct LatencyHandler: JobHandler {
    let output: LineOutput

    func run(_ args: LatencyJob, context: JobContext) async throws {
        output.line("S \(args.n) \(Int64(Date().timeIntervalSince1970 * 1_000_000))")
    }
}

/// Writes whole lines to standard output without buffering, from any thread.
final class LineOutput: Sendable {
    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
