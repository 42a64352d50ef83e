import Contracts
import Foundation
@testable import Queue
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

@Suite("Queue drivers: the same behaviour on PostgreSQL and SQLite")
struct QueueDriverTests {
    @Test("a job enqueued in a transaction exists only if the transaction commits", arguments: TestDatabases.engines)
    func transactionalEnqueue(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await fixture.database.transaction(.system) { sql in
                try await fixture.queue.enqueue(Ping(n: 1), options: fixture.options, on: sql)
                throw Boom()
            }
        }
        #expect(try await fixture.count() == 0)
        let id = try await fixture.database.transaction(.system) { sql in
            try await fixture.queue.enqueue(Ping(n: 2), options: fixture.options, on: sql)
        }
        #expect(id != nil)
        #expect(try await fixture.count(.available) == 1)
    }

    @Test("claims take the highest priority first, then the oldest, and mark jobs running with a lease", arguments: TestDatabases.engines)
    func claimOrder(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        var bulk = fixture.options
        bulk.priority = 2
        var urgent = fixture.options
        urgent.priority = 0
        try await fixture.queue.enqueue(Ping(n: 1), options: bulk)
        try await fixture.queue.enqueue(Ping(n: 2), options: fixture.options)
        try await fixture.queue.enqueue(Ping(n: 3), options: urgent)
        let claimed = try await fixture.claim(1) + fixture.claim(1)
        #expect(claimed.map(\.args).compactMap { try? JSONDecoder().decode(Ping.self, from: Data($0.utf8)).n } == [3, 2])
        #expect(claimed.allSatisfy { $0.attempt == 1 && $0.kind == Ping.kind })
        #expect(try await fixture.count(.running) == 2)
        _ = try await fixture.queue.driver.complete(claimed.map(\.id), worker: "w1", keep: false)
        #expect(try await fixture.count() == 1)
    }

    @Test("concurrent claimers never get the same job", arguments: TestDatabases.engines)
    func noSharedClaims(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        _ = try await fixture.queue.enqueueBatch(try (1...200).map { try NewJob(Ping(n: $0), options: fixture.options) })
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try await fixture.claim(3, worker: "w\(worker)")
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 200)
        #expect(Set(claimed).count == 200)
    }

    @Test("a unique key allows one pending job; the key is free again once the job is done", arguments: TestDatabases.engines)
    func uniqueJobs(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        var options = fixture.options
        options.uniqueKey = "reminder:" + fixture.name
        #expect(try await fixture.queue.enqueue(Ping(n: 1), options: options) != nil)
        #expect(try await fixture.queue.enqueue(Ping(n: 2), options: options) == nil)
        let claimed = try await fixture.claim(5)
        #expect(try await fixture.queue.enqueue(Ping(n: 3), options: options) == nil)   // running still holds it
        _ = try await fixture.queue.driver.complete(claimed.map(\.id), worker: "w1", keep: false)
        #expect(try await fixture.queue.enqueue(Ping(n: 4), options: options) != nil)
        #expect(try await fixture.count() == 1)
    }

    @Test("a scheduled job waits for its time", arguments: TestDatabases.engines)
    func scheduled(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        var later = fixture.options
        later.runAt = Date().addingTimeInterval(3600)
        try await fixture.queue.enqueue(Ping(n: 1), options: later)
        #expect(try await fixture.count(.scheduled) == 1)
        #expect(try await fixture.claim(5).isEmpty)
        try await fixture.passTime(.seconds(3500))
        #expect(try await fixture.claim(5).isEmpty)
        try await fixture.passTime(.seconds(101))
        #expect(try await fixture.claim(5).count == 1)
    }

    @Test("failures: retry later with the error kept, then dead; operators retry, cancel and discard", arguments: TestDatabases.engines)
    func failures(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        var options = fixture.options
        options.maxAttempts = 2
        let id = try #require(try await fixture.queue.enqueue(Ping(n: 1), options: options))
        _ = try await fixture.claim(1)
        try await fixture.queue.driver.fail(id, worker: "w1", error: "gateway said 503", decision: .retry(after: .seconds(60)))
        var job = try #require(try await fixture.queue.job(id))
        #expect(job.state == .retryable && job.errors.map(\.error) == ["gateway said 503"] && job.errors.first?.attempt == 1)
        #expect(try await fixture.claim(1).isEmpty)
        try await fixture.passTime(.seconds(50))
        #expect(try await fixture.claim(1).isEmpty)
        try await fixture.passTime(.seconds(11))
        let second = try await fixture.claim(1)
        #expect(second.first?.attempt == 2)
        // Another worker cannot record an outcome for a job it does not hold.
        try await fixture.queue.driver.fail(id, worker: "intruder", error: "x", decision: .dead)
        #expect(try await fixture.queue.job(id)?.state == .running)
        try await fixture.queue.driver.fail(id, worker: "w1", error: "gateway said 503 again", decision: .dead)
        job = try #require(try await fixture.queue.job(id))
        #expect(job.state == .dead && job.errors.count == 2 && job.finalizedAt != nil)
        #expect(try await fixture.queue.jobs(state: .dead, queue: fixture.name).map(\.id) == [id])

        #expect(try await fixture.queue.retry(id))
        job = try #require(try await fixture.queue.job(id))
        #expect(job.state == .available && job.maxAttempts == 3)
        #expect(try await fixture.queue.cancel(id))
        #expect(try await fixture.queue.job(id)?.state == .cancelled)
        #expect(try await !fixture.queue.cancel(id))
        #expect(try await fixture.queue.retry(id))
        #expect(try await fixture.queue.discard(id))
        #expect(try await fixture.queue.job(id)?.state == .dead)
    }

    @Test("a job whose worker stopped renewing its lease returns to the queue; the old worker's late result is ignored", arguments: TestDatabases.engines)
    func leaseExpiry(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let id = try #require(try await fixture.queue.enqueue(Ping(n: 1), options: fixture.options))
        _ = try await fixture.claim(1, worker: "dead-worker", lease: .seconds(30))
        try await fixture.passTime(.seconds(20))
        _ = try await fixture.queue.driver.rescueExpired(limit: 1000)
        #expect(try await fixture.queue.job(id)?.state == .running)
        try await fixture.passTime(.seconds(11))
        _ = try await fixture.queue.driver.rescueExpired(limit: 1000)
        var job = try #require(try await fixture.queue.job(id))
        #expect(job.state == .available)
        #expect(job.errors.last?.error.contains("lease expired") == true)
        let again = try await fixture.claim(1, worker: "live-worker")
        #expect(again.map(\.id) == [id] && again.first?.attempt == 2)
        _ = try await fixture.queue.driver.complete([id], worker: "dead-worker", keep: false)
        job = try #require(try await fixture.queue.job(id))
        #expect(job.state == .running && job.leaseOwner == "live-worker")
        // The old worker's renewal does not come back: it lost the lease.
        #expect(try await fixture.queue.driver.renewLeases([id], worker: "dead-worker", lease: .seconds(30)) == LeaseRenewal(renewed: []))
        // A lease kept fresh is not taken away.
        try await fixture.passTime(.seconds(25))
        #expect(try await fixture.queue.driver.renewLeases([id], worker: "live-worker", lease: .seconds(30)) == LeaseRenewal(renewed: [id]))
        try await fixture.passTime(.seconds(25))
        _ = try await fixture.queue.driver.rescueExpired(limit: 1000)
        #expect(try await fixture.queue.job(id)?.state == .running)
    }

    @Test("a completion in a transaction is refused to an earlier attempt, even of the same worker", arguments: TestDatabases.engines)
    func completionOfEarlierAttempt(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let id = try #require(try await fixture.queue.enqueue(Ping(n: 1), options: fixture.options))
        _ = try await fixture.claim(1, lease: .seconds(30))
        try await fixture.passTime(.seconds(31))
        #expect(try await fixture.queue.driver.rescueExpired(limit: 1000) >= 1)
        #expect(try await fixture.claim(1).first?.attempt == 2)
        let driver = fixture.queue.driver
        let first = try await fixture.database.transaction(.system) { sql in
            try await driver.complete(id, attempt: 1, worker: "w1", keep: false, on: sql)
        }
        #expect(!first)
        #expect(try await fixture.queue.job(id)?.state == .running)
        let second = try await fixture.database.transaction(.system) { sql in
            try await driver.complete(id, attempt: 2, worker: "w1", keep: false, on: sql)
        }
        #expect(second)
        #expect(try await fixture.queue.job(id) == nil)
    }

    @Test("a renewal passes over a job whose row another transaction holds (the worker finishing it), without waiting for the lock",
          arguments: TestDatabases.engines.filter { $0 == .postgres })
    func renewalPassesOverBusyRows(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        _ = try await fixture.queue.enqueueBatch(try (1...2).map { try NewJob(Ping(n: $0), options: fixture.options) })
        let claimed = try await fixture.claim(2, lease: .seconds(30)).map(\.id).sorted()
        try #require(claimed.count == 2)
        let driver = fixture.queue.driver
        let (answeredWhileLocked, renewal) = try await fixture.database.transaction(.system) { sql in
            // The worker's completion of the first job, under way: its row stays locked until this commits.
            try await sql.raw("SELECT id FROM jobs WHERE id = \(bind: claimed[0]) FOR UPDATE").run()
            let answered = AnsweredFlag()
            let renewal = Task {
                defer { answered.value.store(true, ordering: .sequentiallyConsistent) }
                return try await driver.renewLeases(claimed, worker: "w1", lease: .seconds(60))
            }
            return (try await eventually(10) { answered.value.load(ordering: .sequentiallyConsistent) }, renewal)
        }
        #expect(answeredWhileLocked)
        #expect(try await renewal.value == LeaseRenewal(renewed: [claimed[1]], busy: [claimed[0]]))
    }

    @Test("a renewal extends only the leases of the jobs named, and says which it renewed", arguments: TestDatabases.engines)
    func renewNamedLeases(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        _ = try await fixture.queue.enqueueBatch(try (1...3).map { try NewJob(Ping(n: $0), options: fixture.options) })
        let claimed = try await fixture.claim(3, lease: .seconds(10)).map(\.id).sorted()
        try #require(claimed.count == 3)
        // The worker still runs the first two; the third finished, its completion not recorded.
        let renewed = try await fixture.queue.driver.renewLeases(Array(claimed.prefix(2)) + [-1], worker: "w1", lease: .seconds(60))
        #expect(renewed == LeaseRenewal(renewed: Set(claimed.prefix(2))))
        try await fixture.passTime(.seconds(30))
        #expect(try await fixture.queue.driver.rescueExpired(limit: 1000) >= 1)
        #expect(try await fixture.queue.job(claimed[0])?.state == .running)
        #expect(try await fixture.queue.job(claimed[1])?.state == .running)
        let unfinished = try #require(try await fixture.queue.job(claimed[2]))
        #expect(unfinished.state == .available && unfinished.errors.last?.error.contains("lease expired") == true)
    }

    @Test("fairness: one tenant's campaign does not hold back another tenant's job", arguments: TestDatabases.engines)
    func fairness(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let campaign = UUID(), shop = UUID()
        var bulk = fixture.options
        bulk.tenantID = campaign
        // A second apart in the fair order: however slowly this machine inserts, only the campaign
        // jobs of the seconds that passed meanwhile come before the shop's job.
        _ = try await fixture.queue.enqueueBatch(try (1...3000).map { try NewJob(Ping(n: $0), options: bulk) }, spacing: .seconds(1))
        var ready = fixture.options
        ready.tenantID = shop
        try await fixture.queue.enqueue(Ping(n: 0), options: ready)
        // What fair order promises, from the rows: the campaign jobs whose fair time is earlier.
        let earlier = try await fixture.database.read(.system) { sql in
            try await sql.raw("""
                SELECT count(*) AS n FROM jobs WHERE queue = \(bind: fixture.name) AND tenant_id = \(bind: campaign)
                AND fair_at <= (SELECT fair_at FROM jobs WHERE queue = \(bind: fixture.name) AND tenant_id = \(bind: shop))
                """).first(decodingColumn: "n", as: Int.self) ?? -1
        }
        // First in, first out would run all 3000 campaign jobs first. One claim at a time, since a
        // batch comes back in no particular order.
        var position = 0
        while let job = try await fixture.claim(1).first {
            position += 1
            if job.tenantID == shop { break }
        }
        #expect(position == earlier + 1, "the shop's job came at position \(position); \(earlier) campaign jobs are fairly before it")
        #expect(position > 0 && position < 100, "the shop's job came at position \(position) of 3001")
    }

    @Test("a recurring schedule fires once per tick however many schedulers run", arguments: TestDatabases.engines)
    func schedules(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let name = "nightly-" + fixture.name
        try await fixture.queue.schedule(try Schedule(name: name, cron: try CronExpression("0 3 * * *"), timeZone: TimeZone(identifier: "Europe/Istanbul")!,
                                                      args: Ping(n: 7), options: fixture.options))
        // Make the tick due now, then let three schedulers race for it.
        try await fixture.database.transaction(.system) { sql in
            try await sql.raw("UPDATE job_schedules SET next_run_at = \(bind: Date().addingTimeInterval(-1)) WHERE name = \(bind: name)").run()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = try await fixture.queue.driver.fireSchedules(limit: 10) } }
            try await group.waitForAll()
        }
        #expect(try await fixture.count(.available) == 1)
        let next = try await fixture.database.read(.system) { sql in
            try await sql.raw("SELECT next_run_at FROM job_schedules WHERE name = \(bind: name)").first(decodingColumn: "next_run_at", as: Date.self)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Istanbul")!
        let parts = calendar.dateComponents([.hour, .minute], from: try #require(next))
        #expect(parts.hour == 3 && parts.minute == 0 && next! > Date())
        _ = try await fixture.queue.driver.fireSchedules(limit: 10)
        #expect(try await fixture.count() == 1)
    }

    @Test("a rate limit is shared: a second permit within the interval must wait, to the microsecond", arguments: TestDatabases.engines)
    func rateLimit(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let key = "sms:" + fixture.name
        // An odd instant, in whole microseconds, as the drivers' clocks give them.
        let start: Int64 = 1_764_580_123_456_789
        /// Takes a permit `micros` after `start`; nil when granted, else the wait in microseconds.
        func take(after micros: Int64, step: Int64 = 200_000, burst: Int = 1, key: String = key) async throws -> Int64? {
            try await fixture.database.transaction(.system) { sql in
                try await QueueSQL.takePermit(key: key, step: step, burst: burst, now: start + micros, on: sql)
            }
        }
        #expect(try await take(after: 0) == nil)
        #expect(try await take(after: 50_000) == 150_000)
        // One microsecond before the next permit is due: refused (and told to wait the least, 1 ms).
        #expect(try await take(after: 199_999) == 1_000)
        // Exactly when it is due: granted.
        #expect(try await take(after: 200_000) == nil)
        #expect(try await take(after: 300_000) == 100_000)
        // A burst of three goes through at once, the fourth waits for the first to expire.
        let burstKey = "burst:" + fixture.name
        for _ in 0..<3 { #expect(try await take(after: 0, burst: 3, key: burstKey) == nil) }
        #expect(try await take(after: 0, burst: 3, key: burstKey) == 200_000)
        // Three a second: steps of 333,333 µs, not rounded to milliseconds.
        let thirds = "thirds:" + fixture.name
        #expect(try await take(after: 0, step: 333_333, key: thirds) == nil)
        #expect(try await take(after: 333_333, step: 333_333, key: thirds) == nil)
        #expect(try await take(after: 666_665, step: 333_333, key: thirds) == 1_000)
        #expect(try await take(after: 666_666, step: 333_333, key: thirds) == nil)
        // Through the driver, on its own clock: the wait is the interval less the time between the
        // two calls, which a loaded machine can stretch; it is bounded by the time measured around them.
        let started = ContinuousClock.now
        #expect(try await fixture.queue.driver.takePermit(key: "real:" + key, interval: .seconds(10), burst: 1) == nil)
        let wait = try #require(try await fixture.queue.driver.takePermit(key: "real:" + key, interval: .seconds(10), burst: 1))
        let elapsed = ContinuousClock.now - started
        #expect(wait <= .seconds(10) && wait >= .seconds(10) - elapsed - .milliseconds(1), "waited \(wait) after \(elapsed)")
    }

    @Test("completed jobs kept for a retention are pruned after it; stats count states", arguments: TestDatabases.engines)
    func retentionAndStats(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        _ = try await fixture.queue.enqueueBatch(try (1...3).map { try NewJob(Ping(n: $0), options: fixture.options) })
        let claimed = try await fixture.claim(2)
        _ = try await fixture.queue.driver.complete([claimed[0].id], worker: "w1", keep: true)
        let stats = try await fixture.queue.stats().rows.filter { $0.queue == fixture.name }
        #expect(Set(stats.map { "\($0.state.rawValue)=\($0.count)" }) == ["available=1", "running=1", "completed=1"])
        #expect(try await fixture.queue.stats().oldestAvailableAge[fixture.name] != nil)
        _ = try await fixture.queue.driver.prune(completedBefore: .seconds(60), deadBefore: .seconds(3600), limit: 100)
        #expect(try await fixture.count(.completed) == 1)
        try await fixture.passTime(.seconds(61))
        _ = try await fixture.queue.driver.prune(completedBefore: .seconds(60), deadBefore: .seconds(3600), limit: 100)
        #expect(try await fixture.count(.completed) == 0)
        #expect(try await fixture.count() == 2)
    }
}

/// Set once a call has answered.
private final class AnsweredFlag: Sendable {
    let value = Atomic(false)
}
