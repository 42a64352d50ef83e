import Foundation
import Logging
import Prometheus
import Queue
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

/// Records each run; fails, sleeps or gives up as the job's `mode` asks.
struct Task2: JobArgs {
    static let kind = "test.task"
    let n: Int
    var mode = "ok"
    var sleepMilliseconds = 0
}

struct TaskHandler: JobHandler {
    let executions: Executions
    var timeout: Duration = .seconds(5)

    func run(_ args: Task2, context: JobContext) async throws {
        executions.record(args.n)
        defer { executions.end(args.n) }
        if args.sleepMilliseconds > 0 { try await Task.sleep(for: .milliseconds(args.sleepMilliseconds)) }
        switch args.mode {
        case "fail-twice" where context.job.attempt <= 2: throw JobOutcome.retry(after: .milliseconds(50), reason: "attempt \(context.job.attempt) failed")
        case "crash": struct Crash: Error {}; throw Crash()
        case "permanent": throw JobOutcome.permanent("the number is blocked")
        case "snooze" where context.job.attempt == 1 && executions.all[args.n] == 1: throw JobOutcome.snooze(.milliseconds(100))
        case "slow-first" where context.job.attempt == 1: try await Task.sleep(for: .seconds(60))
        default: return
        }
    }
}

@Suite("Workers in one process")
struct WorkerServiceTests {
    static func worker(_ fixture: QueueFixture, _ executions: Executions, concurrency: Int = 8, timeout: Duration = .seconds(5),
                       driver: (any QueueDriver)? = nil, configure: (inout WorkerConfiguration) -> Void = { _ in }) -> WorkerService {
        var handlers = HandlerRegistry()
        handlers.register(TaskHandler(executions: executions, timeout: timeout))
        var configuration = WorkerConfiguration(queues: [fixture.name: concurrency])
        configuration.pollInterval = .milliseconds(100)
        configuration.maintenance = false
        configure(&configuration)
        let queue = driver.map { JobQueue(driver: $0, database: fixture.database) } ?? fixture.queue
        return WorkerService(queue: queue, handlers: handlers, configuration: configuration, logger: Logger(label: "test"),
                             backoff: Backoff(jitter: { 0 }))
    }

    static func running(_ worker: WorkerService, _ body: () async throws -> Void) async throws {
        let task = Task { try await worker.run() }
        do {
            try await body()
        } catch {
            worker.stop()
            _ = try? await task.value
            throw error
        }
        worker.stop()
        try await task.value
    }

    @Test("jobs run once each, up to the concurrency, and leave the table", arguments: TestDatabases.engines)
    func runsJobs(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let worker = Self.worker(fixture, executions)
        try await Self.running(worker) {
            _ = try await fixture.queue.enqueueBatch(try (1...300).map { try NewJob(Task2(n: $0), options: fixture.options) })
            // 300 jobs on SQLite while the whole suite shares two cores took up to 20 s: waited for, not timed.
            #expect(try await eventually(120) { try await fixture.count() == 0 })
        }
        #expect(executions.all.count == 300 && executions.all.values.allSatisfy { $0 == 1 })
    }

    @Test("every attempt is counted by outcome in the worker's metrics, each job's pick-up once", arguments: [Engine.sqlite])
    func metrics(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        var handlers = HandlerRegistry()
        handlers.register(TaskHandler(executions: executions))
        var configuration = WorkerConfiguration(queues: [fixture.name: 4])
        configuration.pollInterval = .milliseconds(100)
        configuration.maintenance = false
        let registry = PrometheusCollectorRegistry()
        let worker = WorkerService(queue: fixture.queue, handlers: handlers, configuration: configuration, logger: Logger(label: "test"),
                                   metrics: WorkerMetrics(registry: registry), backoff: Backoff(jitter: { 0 }))
        try await Self.running(worker) {
            _ = try await fixture.queue.enqueueBatch(try (1...5).map { try NewJob(Task2(n: $0), options: fixture.options) }
                                                     + [try NewJob(Task2(n: 6, mode: "permanent"), options: fixture.options)])
            #expect(try await eventually(60) {
                let dead = try await fixture.count(.dead)
                let waiting = try await fixture.count(.available)
                return dead == 1 && waiting == 0 && executions.all.count == 6
            })
        }
        var text: [UInt8] = []
        registry.emit(into: &text)
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init)
        let queue = fixture.name
        #expect(lines.contains(#"queue_jobs_total{queue="\#(queue)",kind="test.task",outcome="completed"} 5"#), "\(lines)")
        #expect(lines.contains(#"queue_jobs_total{queue="\#(queue)",kind="test.task",outcome="dead"} 1"#), "\(lines)")
        #expect(lines.contains(#"queue_pickup_lag_seconds_count{queue="\#(queue)"} 6"#), "\(lines)")
    }

    @Test("a failing job is retried with backoff and then succeeds; permanent errors and crashes end as dead", arguments: TestDatabases.engines)
    func retries(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let worker = Self.worker(fixture, executions) { $0.completedRetention = .seconds(3600) }
        var once = fixture.options
        once.maxAttempts = 1
        try await Self.running(worker) {
            let flaky = try #require(try await fixture.queue.enqueue(Task2(n: 1, mode: "fail-twice"), options: fixture.options))
            let blocked = try #require(try await fixture.queue.enqueue(Task2(n: 2, mode: "permanent"), options: fixture.options))
            let crash = try #require(try await fixture.queue.enqueue(Task2(n: 3, mode: "crash"), options: once))
            let snoozed = try #require(try await fixture.queue.enqueue(Task2(n: 4, mode: "snooze"), options: fixture.options))
            #expect(try await eventually {
                let completed = try await fixture.count(.completed)
                let dead = try await fixture.count(.dead)
                return completed == 2 && dead == 2
            })
            let flakyJob = try #require(try await fixture.queue.job(flaky))
            #expect(flakyJob.state == .completed && flakyJob.attempt == 3 && flakyJob.errors.map(\.error) == ["attempt 1 failed", "attempt 2 failed"])
            #expect(try await fixture.queue.job(blocked)?.errors.map(\.error) == ["the number is blocked"])
            #expect(try await fixture.queue.job(crash)?.errors.first?.error.contains("Crash") == true)
            let snoozedJob = try #require(try await fixture.queue.job(snoozed))
            #expect(snoozedJob.state == .completed && snoozedJob.attempt == 1 && snoozedJob.errors.isEmpty)
        }
        #expect(executions.all[1] == 3 && executions.all[4] == 2)
    }

    @Test("a job past its timeout is cancelled and retried", arguments: TestDatabases.engines)
    func timeout(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let worker = Self.worker(fixture, executions, timeout: .milliseconds(100))
        var options = fixture.options
        options.maxAttempts = 1
        try await Self.running(worker) {
            let id = try #require(try await fixture.queue.enqueue(Task2(n: 1, sleepMilliseconds: 5_000), options: options))
            #expect(try await eventually(20) { try await fixture.queue.job(id)?.state == .dead })
            #expect(try await fixture.queue.job(id)?.errors.first?.error.contains("timed out") == true)
        }
    }

    @Test("on shutdown, jobs finish within the grace period; the rest go back to the queue uncounted", arguments: TestDatabases.engines)
    func gracefulShutdown(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        // The slow job ends by the stop, not by its timeout, however slowly a loaded machine gets there.
        let worker = Self.worker(fixture, executions, timeout: .seconds(120)) { $0.shutdownGrace = .milliseconds(600) }
        let task = Task { try await worker.run() }
        let quick = try #require(try await fixture.queue.enqueue(Task2(n: 1, sleepMilliseconds: 200), options: fixture.options))
        let slow = try #require(try await fixture.queue.enqueue(Task2(n: 2, sleepMilliseconds: 10_000), options: fixture.options))
        #expect(try await eventually { executions.total == 2 })
        worker.stop()
        try await task.value
        #expect(try await fixture.queue.job(quick) == nil)          // completed and deleted
        let released = try #require(try await fixture.queue.job(slow))
        #expect(released.state == .available && released.attempt == 0 && released.leaseOwner == nil)
        // Nothing new is claimed after the stop: run() returned, so nothing of the worker runs any more.
        let late = try #require(try await fixture.queue.enqueue(Task2(n: 3), options: fixture.options))
        #expect(worker.runningCount == 0)
        #expect(try await fixture.queue.job(late)?.state == .available)
        #expect(executions.all[3] == nil)
    }
}

@Suite("Backoff and cron")
struct ScheduleRulesTests {
    @Test("backoff grows as attempt⁴ seconds with up to 10 % jitter")
    func backoff() {
        let exact = Backoff(jitter: { 0 })
        #expect((1...5).map { exact.delay(afterAttempt: $0) } == [.seconds(1), .seconds(16), .seconds(81), .seconds(256), .seconds(625)])
        #expect(exact.delay(afterAttempt: 30) == .seconds(86_400))
        let jittered = Backoff()
        for attempt in 1...10 {
            let delay = jittered.delay(afterAttempt: attempt)
            let base = Duration.seconds(max(1, attempt * attempt * attempt * attempt))
            #expect(delay >= base && delay <= base * 1.1 + .milliseconds(1))
        }
    }

    @Test("cron expressions fire at the right local times")
    func cron() throws {
        let istanbul = TimeZone(identifier: "Europe/Istanbul")!
        let formatter = ISO8601DateFormatter()
        func next(_ expression: String, after: String, in zone: TimeZone = istanbul) throws -> String? {
            let cron = try CronExpression(expression)
            formatter.timeZone = zone
            return cron.next(after: formatter.date(from: after)!, in: zone).map { formatter.string(from: $0) }
        }
        // Weekdays at 09:30 Istanbul time (UTC+3): Friday 10:00 → Monday 09:30.
        #expect(try next("30 9 * * 1-5", after: "2026-11-27T10:00:00+03:00") == "2026-11-30T09:30:00+03:00")
        #expect(try next("*/15 * * * *", after: "2026-11-26T10:07:00+03:00") == "2026-11-26T10:15:00+03:00")
        #expect(try next("0 0 1 jan *", after: "2026-11-26T10:07:00+03:00") == "2027-01-01T00:00:00+03:00")
        // Both day fields restricted: either matches (the 1st, or a Sunday).
        #expect(try next("0 12 1 * 0", after: "2026-11-26T13:00:00+03:00") == "2026-11-29T12:00:00+03:00")
        // A local time skipped by a clock change is skipped (Berlin, 29 March 2026, 02:00 → 03:00).
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(try next("30 2 * * *", after: "2026-03-28T03:00:00+01:00", in: berlin) == "2026-03-30T02:30:00+02:00")
        #expect(throws: CronExpression.ParseError.self) { try CronExpression("61 * * * *") }
        #expect(throws: CronExpression.ParseError.self) { try CronExpression("* * *") }
    }
}
