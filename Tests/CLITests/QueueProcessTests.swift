import Foundation
import Queue
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

/// Worker processes of `crm-bench` (the product's worker engine with test job kinds) on the run's
/// PostgreSQL, started, killed and stopped as an operator or a crash would.
struct WorkerFleet {
    let databaseURL: String
    let database: any Database
    let queue: JobQueue

    static func make() async throws -> WorkerFleet {
        let store = try await PostgresDatabases.shared.fresh()
        try await Migrator(database: store, logger: .init(label: "test")).migrate(QueueMigrations.all)
        try await store.transaction(.system) { sql in
            // As crm-bench's RecordHandler writes them: every execution, and each effect committed with
            // its job's completion. No unique keys: a duplicate must show.
            try await sql.raw("CREATE TABLE bench_executions (n BIGINT NOT NULL, worker TEXT NOT NULL)").run()
            try await sql.raw("CREATE TABLE bench_effects (n BIGINT NOT NULL, worker TEXT NOT NULL)").run()
        }
        let name = try await store.read(.system) { sql in
            try await sql.raw("SELECT current_database() AS name").first(decodingColumn: "name", as: String.self)!
        }
        let location = try TestDatabases.postgresLocation()
        let url = "postgres://\(location.username):\(location.password ?? "")@\(location.host):\(location.port)/\(name)?sslmode=disable"
        return WorkerFleet(databaseURL: url, database: store, queue: JobQueue.on(store, logger: .init(label: "test")))
    }

    final class Worker: @unchecked Sendable {  // the process is driven by one test task
        let process = Process()
        let output = OutputCollector()
        var id: String { output.value.firstMatch(of: /READY (\S+)/).map { String($0.1) } ?? "" }
    }

    func start(queues: String, lease: Int = 1000, grace: Int = 25_000, maintenance: Int = 200) async throws -> Worker {
        let worker = Worker()
        worker.process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("crm-bench")
        worker.process.arguments = ["worker", "--database-url", databaseURL, "--queues", queues, "--lease-ms", "\(lease)",
                                    "--grace-ms", "\(grace)", "--maintenance-ms", "\(maintenance)", "--poll-ms", "200", "--pool", "6"]
        let pipe = Pipe()
        worker.process.standardOutput = pipe
        worker.process.standardError = FileHandle.nullDevice
        worker.output.attach(pipe)
        try worker.process.run()
        _ = try await worker.output.wait(for: "READY")
        return worker
    }

    /// Every run of the jobs `from…to` that got as far as starting.
    func executions(from: Int, to: Int) async throws -> [(n: Int, worker: String)] {
        try await rows(of: "bench_executions", from: from, to: to)
    }

    /// The committed effects of the jobs `from…to`, written inside `context.complete`.
    func effects(from: Int, to: Int) async throws -> [(n: Int, worker: String)] {
        try await rows(of: "bench_effects", from: from, to: to)
    }

    private func rows(of table: String, from: Int, to: Int) async throws -> [(n: Int, worker: String)] {
        try await database.read(.system) { sql in
            try await sql.raw("SELECT n, worker FROM \(unsafeRaw: table) WHERE n >= \(bind: from) AND n <= \(bind: to)").all().map {
                (try $0.decode(column: "n", as: Int.self), try $0.decode(column: "worker", as: String.self))
            }
        }
    }

    /// Whether a scheduler fired the schedule's tick `due` and moved it on to a later one.
    func scheduleMovedOn(_ name: String, from due: Date) async throws -> Bool {
        try await database.read(.system) { sql in
            let row = try await sql.raw("SELECT next_run_at, last_run_at FROM job_schedules WHERE name = \(bind: name)").first()
            guard let row, let last = try row.decode(column: "last_run_at", as: Date?.self) else { return false }
            let next = try row.decode(column: "next_run_at", as: Date.self)
            return abs(last.timeIntervalSince(due)) < 0.001 && next > Date()
        }
    }

    func jobs(in queue: String) async throws -> Int {
        try await database.read(.system) { sql in
            try await sql.raw("SELECT count(*) AS n FROM jobs WHERE queue = \(bind: queue)").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    static func kill(_ worker: Worker) {
        Foundation.kill(worker.process.processIdentifier, SIGKILL)
        worker.process.waitUntilExit()
    }
}

struct RecordJob: JobArgs {
    static let kind = "bench.record"
    let n: Int
    var sleepMilliseconds: Int?
    var sleepFirstAttemptOnly: Bool?
}

struct NoopJob: JobArgs {
    static let kind = "bench.noop"
    let n: Int
}

@Suite("Queue worker processes on PostgreSQL", .serialized, .enabled(if: TestDatabases.engines.contains(.postgres)))
struct QueueProcessTests {
    @Test("a worker killed with SIGKILL mid-job: the job completes once, by another worker, after the lease")
    func killedMidJob() async throws {
        let fleet = try await WorkerFleet.make()
        let first = try await fleet.start(queues: "kill:4")
        // The first run sleeps a minute (so it is surely still running when killed, however loaded
        // the machine); the second, after the lease, does not.
        let id = try #require(try await fleet.queue.enqueue(RecordJob(n: 1, sleepMilliseconds: 60_000, sleepFirstAttemptOnly: true),
                                                            options: JobOptions(queue: "kill")))
        // Killed once its handler has started (its execution is recorded before the sleep).
        #expect(try await eventually { try await fleet.executions(from: 1, to: 1).count == 1 })
        #expect(try await fleet.queue.job(id)?.state == .running)
        WorkerFleet.kill(first)
        let killedAt = Date()
        let second = try await fleet.start(queues: "kill:4")
        #expect(try await eventually(20) { try await fleet.effects(from: 1, to: 1).count == 1 })
        let effect = try #require(try await fleet.effects(from: 1, to: 1).first)
        #expect(effect.worker == second.id && effect.worker != first.id)
        #expect(try await eventually { try await fleet.jobs(in: "kill") == 0 })
        // It ran twice (the killed worker's run started, and got no further); its effect is there once.
        #expect(try await fleet.executions(from: 1, to: 1).map(\.worker).sorted() == [first.id, second.id].sorted())
        #expect(try await fleet.effects(from: 1, to: 1).count == 1)
        #expect(Date().timeIntervalSince(killedAt) >= 1)   // not before the lease lapsed
        second.process.terminate()
        second.process.waitUntilExit()
    }

    @Test("10,000 jobs through 4 worker processes killed at random: every job completed, its effect committed exactly once")
    func randomKills() async throws {
        let fleet = try await WorkerFleet.make()
        let count = 10_000
        _ = try await fleet.queue.enqueueBatch(try (1...count).map {
            try NewJob(RecordJob(n: $0, sleepMilliseconds: $0 % 7 == 0 ? 5 : nil), options: JobOptions(queue: "chaos"))
        })
        var workers: [WorkerFleet.Worker] = []
        for _ in 0..<4 { workers.append(try await fleet.start(queues: "chaos:16")) }
        var kills = 0
        while kills < 6, try await fleet.jobs(in: "chaos") > 1_000 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...400)))
            let victim = Int.random(in: 0..<workers.count)
            WorkerFleet.kill(workers[victim])
            kills += 1
            workers[victim] = try await fleet.start(queues: "chaos:16")
        }
        #expect(try await eventually(120) { try await fleet.jobs(in: "chaos") == 0 })
        // Runs: at least one per job (a killed worker's jobs run again). Effects, committed with the
        // completion: exactly one per job.
        let runs = Dictionary(grouping: try await fleet.executions(from: 1, to: count), by: \.n).mapValues(\.count)
        let effects = Dictionary(grouping: try await fleet.effects(from: 1, to: count), by: \.n).mapValues(\.count)
        #expect(runs.count == count && runs.values.allSatisfy { $0 >= 1 })
        #expect(effects.count == count)
        let twice = effects.filter { $0.value != 1 }
        #expect(twice.isEmpty, "jobs whose effect committed more than once: \(twice.keys.sorted().prefix(20))")
        #expect(kills > 0)
        for worker in workers { worker.process.terminate() }
        for worker in workers { worker.process.waitUntilExit() }
    }

    @Test("a recurring schedule fires once per tick with 3 workers running")
    func scheduleOncePerTick() async throws {
        let fleet = try await WorkerFleet.make()
        var workers: [WorkerFleet.Worker] = []
        for _ in 0..<3 { workers.append(try await fleet.start(queues: "busy:2", maintenance: 50)) }
        try await fleet.queue.schedule(try Schedule(name: "hourly-report", cron: try CronExpression("0 * * * *"),
                                                    timeZone: TimeZone(identifier: "Europe/Istanbul")!, args: NoopJob(n: 1),
                                                    options: JobOptions(queue: "reports")))
        // Two ticks in the past (distinct seconds: each tick's job has its own unique key). Once a
        // scheduler has moved the schedule on to its next tick (an hour away), no scheduler can
        // fire this one again: the count then is final.
        let base = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        for (tick, due) in [base.addingTimeInterval(-20), base.addingTimeInterval(-10)].enumerated() {
            try await fleet.database.transaction(.system) { sql in
                try await sql.raw("UPDATE job_schedules SET next_run_at = \(bind: due) WHERE name = 'hourly-report'").run()
            }
            #expect(try await eventually { try await fleet.scheduleMovedOn("hourly-report", from: due) })
            #expect(try await fleet.jobs(in: "reports") == tick + 1)
        }
        for worker in workers { worker.process.terminate() }
        for worker in workers { worker.process.waitUntilExit() }
    }

    @Test("SIGTERM: the worker stops claiming, lets running jobs finish within the grace period, releases the rest, exits 0")
    func gracefulStop() async throws {
        let fleet = try await WorkerFleet.make()
        let worker = try await fleet.start(queues: "drain:8", grace: 1_500)
        for n in 1...4 { try await fleet.queue.enqueue(RecordJob(n: n, sleepMilliseconds: 500), options: JobOptions(queue: "drain")) }
        let slow = try #require(try await fleet.queue.enqueue(RecordJob(n: 5, sleepMilliseconds: 60_000), options: JobOptions(queue: "drain")))
        #expect(try await eventually { try await fleet.queue.job(slow)?.state == .running })
        worker.process.terminate()
        let stoppedAt = Date()
        worker.process.waitUntilExit()
        #expect(worker.process.terminationReason == .exit && worker.process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(stoppedAt) < 10)
        #expect(try await fleet.effects(from: 1, to: 4).count == 4)
        let released = try #require(try await fleet.queue.job(slow))
        #expect(released.state == .available && released.attempt == 0)
    }
}
