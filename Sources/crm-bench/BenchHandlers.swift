import Foundation
import Queue
import SQLKit
import Storage

/// Job kinds for measuring and for the queue's process-level tests. Not part of the product.
struct NoopJob: JobArgs {
    static let kind = "bench.noop"
    let n: Int
}

/// Records its execution exactly once, in the transaction that completes the job.
struct RecordJob: JobArgs {
    static let kind = "bench.record"
    let n: Int
    /// Sleep this long first, so that a test can kill the worker mid-job.
    var sleepMilliseconds: Int?
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

    func run(_ args: RecordJob, context: JobContext) async throws {
        if let sleep = args.sleepMilliseconds { try await Task.sleep(for: .milliseconds(sleep)) }
        let worker = self.worker
        try await context.complete { sql in
            try await sql.raw("INSERT INTO bench_executions (n, worker) VALUES (\(bind: args.n), \(bind: worker)) ON CONFLICT (n) DO NOTHING").run()
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

enum BenchSchema {
    static func create(_ database: any Database) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("CREATE TABLE IF NOT EXISTS bench_executions (n BIGINT PRIMARY KEY, worker TEXT NOT NULL)").run()
        }
    }
}
