import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Queue
import SQLKit
import Storage
import Synchronization

/// `crm-bench queue`: enqueue rates, throughput with 1 and more worker processes, and pick-up
/// latency at light load, for no-op jobs on a PostgreSQL database. Prints a table, or JSON.
struct QueueBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Measure the job queue on PostgreSQL.")

    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option(help: "No-op jobs per measurement.") var jobs = 100_000
    @Option(help: "Worker process counts to measure throughput with.") var processes = "1,4"
    @Option(help: "Jobs each worker process runs at once (no-op jobs: enough to hide the claim round trip).") var concurrency = 128
    @Option(help: "Concurrent enqueuers for single-job enqueues.") var enqueuers = 16
    @Option(name: .customLong("latency-jobs")) var latencyJobs = 1_000
    @Option(name: .customLong("latency-gap-ms")) var latencyGap = 5
    @Option(help: "Measurements to run: single,batch,throughput,latency.") var phases = "single,batch,throughput,latency"
    @Flag var json = false

    struct Results: Codable {
        var system = "crm (Swift)"
        var jobs: Int
        var enqueueSinglePerSecond: Double
        var enqueueBatchPerSecond: Double
        var throughputPerSecond: [String: Double]
        var latencyMilliseconds: [String: Double]
    }

    func run() async throws {
        let logger = { var logger = Logger(label: "crm-bench"); logger.logLevel = .warning; return logger }()
        let location = try DatabaseLocation.parse(databaseURL)
        guard case .postgres = location else { throw ValidationError("the queue benchmark runs on PostgreSQL") }
        let counts = processes.split(separator: ",").compactMap { Int($0) }
        let results = try await DatabaseConnector.with(location, poolSize: enqueuers + 4, logger: logger) { database in
            try await Migrator(database: database, logger: logger).migrate(QueueMigrations.all)
            let queue = JobQueue.on(database, logger: logger)
            try await Self.clear(database)

            let run = Set(phases.split(separator: ",").map(String.init))
            let single = !run.contains("single") ? .nan : try await measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let tickets = Tickets()
                    for _ in 0..<enqueuers {
                        group.addTask {
                            while true {
                                let n = tickets.next()
                                guard n <= jobs else { return }
                                try await queue.enqueue(NoopJob(n: n), options: JobOptions(queue: "bench-idle"))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await Self.clear(database)
            let batch = !run.contains("batch") ? .nan : try await measure {
                try await queue.enqueueBatch(try (1...jobs).map { try NewJob(NoopJob(n: $0), options: JobOptions(queue: "bench-idle")) })
            }
            try await Self.clear(database)

            var throughput: [String: Double] = [:]
            for count in counts where run.contains("throughput") {
                let workers = try await WorkerProcesses.start(count: count, databaseURL: databaseURL, queues: "bench:\(concurrency)")
                let elapsed = try await measure {
                    try await queue.enqueueBatch(try (1...jobs).map { try NewJob(NoopJob(n: $0), options: JobOptions(queue: "bench")) })
                    try await Self.waitUntilEmpty(database, queue: "bench")
                }
                await workers.stop()
                throughput["\(count)"] = Double(jobs) / elapsed
                try await Self.clear(database)
            }

            guard run.contains("latency") else {
                return Results(jobs: jobs, enqueueSinglePerSecond: Double(jobs) / single, enqueueBatchPerSecond: Double(jobs) / batch,
                               throughputPerSecond: throughput, latencyMilliseconds: [:])
            }
            let workers = try await WorkerProcesses.start(count: 1, databaseURL: databaseURL, queues: "bench-latency:\(concurrency)")
            try await Task.sleep(for: .milliseconds(500))
            var committed: [Int: Double] = [:]
            for n in 1...latencyJobs {
                try await queue.enqueue(LatencyJob(n: n), options: JobOptions(queue: "bench-latency"))
                committed[n] = Date().timeIntervalSince1970
                try await Task.sleep(for: .milliseconds(latencyGap))
            }
            try await Self.waitUntilEmpty(database, queue: "bench-latency")
            try await Task.sleep(for: .milliseconds(200))
            let started = await workers.startTimes()
            await workers.stop()
            let latencies = committed.compactMap { n, at in started[n].map { max(0, $0 - at) * 1000 } }.sorted()
            return Results(
                jobs: jobs,
                enqueueSinglePerSecond: Double(jobs) / single,
                enqueueBatchPerSecond: Double(jobs) / batch,
                throughputPerSecond: throughput,
                latencyMilliseconds: [
                    "p50": Self.percentile(latencies, 0.50), "p90": Self.percentile(latencies, 0.90),
                    "p99": Self.percentile(latencies, 0.99), "samples": Double(latencies.count),
                ]
            )
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            print("jobs: \(results.jobs)")
            func rate(_ value: Double) -> String { value.isFinite ? "\(Int(value))/s" : "not measured" }
            print("enqueue, single: \(rate(results.enqueueSinglePerSecond)); batch: \(rate(results.enqueueBatchPerSecond))")
            for (count, value) in results.throughputPerSecond.sorted(by: { $0.key < $1.key }) { print("throughput, \(count) process(es): \(rate(value))") }
            if let p50 = results.latencyMilliseconds["p50"], let p99 = results.latencyMilliseconds["p99"] {
                print("pick-up latency: p50 \(p50) ms, p99 \(p99) ms")
            }
        }
    }

    func measure(_ work: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await work()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Empties the bench's queues, vacuums and checkpoints, so that each measurement starts from the
    /// same table and an idle disk rather than amid the debris of the one before (PgQueuer's side too).
    static func clear(_ database: any Database) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("DELETE FROM jobs WHERE queue LIKE 'bench%'").run()
        }
        if let postgres = database as? PostgresStore {
            try await postgres.withConnection { connection in
                let logger = Logger(label: "crm-bench")
                _ = try await connection.query("VACUUM ANALYZE jobs", logger: logger)
                _ = try? await connection.query("CHECKPOINT", logger: logger)  // needs pg_checkpoint, which queue.sh grants
            }
        }
    }

    static func waitUntilEmpty(_ database: any Database, queue: String) async throws {
        while true {
            let left = try await database.read(.system) { sql in
                try await sql.raw("SELECT count(*) AS n FROM jobs WHERE queue = \(bind: queue)").first(decodingColumn: "n", as: Int.self) ?? 0
            }
            if left == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let value = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        return (value * 1000).rounded() / 1000
    }
}

/// Worker processes started from this binary, with what they print.
final class WorkerProcesses: @unchecked Sendable {  // processes are only started and stopped by the bench's one task
    private(set) var processes: [Process] = []
    let output = Mutex("")

    static func start(count: Int, databaseURL: String, queues: String) async throws -> WorkerProcesses {
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let started = WorkerProcesses()
        for _ in 0..<count {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["worker", "--database-url", databaseURL, "--queues", queues, "--pool", "4"]
            let pipe = Pipe()
            process.standardOutput = pipe
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                started.output.withLock { $0 += text }
            }
            try process.run()
            started.processes.append(process)
        }
        let deadline = Date().addingTimeInterval(30)
        while started.output.withLock({ $0.components(separatedBy: "READY").count - 1 }) < count {
            guard Date() < deadline else { throw ValidationError("worker processes did not start") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return started
    }

    /// `n → start time` from the latency jobs' lines.
    func startTimes() async -> [Int: Double] {
        var times: [Int: Double] = [:]
        for line in output.withLock({ $0 }).split(separator: "\n") where line.hasPrefix("S ") {
            let parts = line.split(separator: " ")
            if parts.count == 3, let n = Int(parts[1]), let micros = Double(parts[2]) { times[n] = micros / 1_000_000 }
        }
        return times
    }

    func stop() async {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) } }
    }
}

/// Hands out 1, 2, 3… to concurrent enqueuers.
final class Tickets: Sendable {
    private let last = Mutex(0)

    func next() -> Int {
        last.withLock { value in
            value += 1
            return value
        }
    }
}
