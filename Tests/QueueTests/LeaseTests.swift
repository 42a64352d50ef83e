import Foundation
import Logging
@testable import Queue
import Storage
import Testing
import TestSupport

/// Leases as a worker keeps them: renewed only for the jobs it runs, and a lost one stops its handler.
@Suite("Workers and their leases")
struct LeaseTests {
    /// Waits for a renewal that started after this call (renewals run one after the other).
    static func nextRenewal(_ driver: ControlledDriver) async throws -> Bool {
        let started = driver.renewalsStarted
        return try await eventually(20) { driver.renewalsFinished > started }
    }

    @Test("a handler whose lease was lost is cancelled at the next renewal and records nothing", arguments: TestDatabases.engines)
    func lostLease(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let driver = ControlledDriver(fixture.queue.driver)
        // A long lease: by its own clock the worker holds the job throughout the test, so only
        // the renewal's answer can stop the handler.
        let worker = WorkerServiceTests.worker(fixture, executions, timeout: .seconds(120), driver: driver) {
            $0.lease = .seconds(60)
            $0.shutdownGrace = .milliseconds(200)
        }
        try await WorkerServiceTests.running(worker) {
            let id = try #require(try await fixture.queue.enqueue(Task2(n: 1, sleepMilliseconds: 60_000), options: fixture.options))
            #expect(try await eventually { executions.total == 1 })
            // The job's lease lapses in the database (as for a worker that lost it for a while);
            // it is rescued and another worker takes it.
            driver.allow(claims: false, renewals: false)
            try await fixture.passTime(.seconds(120))
            #expect(try await fixture.queue.driver.rescueExpired(limit: 1000) >= 1)
            let taken = try await fixture.claim(1, worker: "other-worker")
            #expect(taken.map(\.id) == [id])
            // The next renewal does not return the job, and its handler stops (long before its 60 s).
            driver.allow(renewals: true)
            await worker.renewLeases()
            #expect(try await eventually(10) { worker.runningCount == 0 })
            let job = try #require(try await fixture.queue.job(id))
            #expect(job.state == .running && job.leaseOwner == "other-worker" && job.attempt == 2)
            #expect(job.errors.map(\.error).allSatisfy { $0.contains("lease expired") })
        }
        #expect(executions.all[1] == 1)
    }

    @Test("a worker that claims again a job whose lease it lost stops the earlier attempt; the new one completes", arguments: TestDatabases.engines)
    func reclaimedBySameWorker(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let driver = ControlledDriver(fixture.queue.driver)
        let worker = WorkerServiceTests.worker(fixture, executions, timeout: .seconds(120), driver: driver) {
            $0.lease = .seconds(60)
            $0.shutdownGrace = .milliseconds(200)
        }
        try await WorkerServiceTests.running(worker) {
            let id = try #require(try await fixture.queue.enqueue(Task2(n: 1, mode: "slow-first"), options: fixture.options))
            #expect(try await eventually { executions.total == 1 })
            // The lease lapses in the database without the worker noticing (no renewal answers);
            // the job is rescued, and this same worker claims it again.
            driver.allow(claims: false, renewals: false)
            try await fixture.passTime(.seconds(120))
            #expect(try await fixture.queue.driver.rescueExpired(limit: 1000) >= 1)
            driver.allow(claims: true)
            #expect(try await eventually { try await fixture.queue.job(id) == nil })
            // Both attempts ended: the first one long before its 60 s.
            #expect(try await eventually(10) { executions.ended[1] == 2 })
        }
        #expect(executions.all[1] == 2)
    }

    @Test("a worker that cannot renew a lease stops the handler by its own clock, before the database lets another take the job", arguments: TestDatabases.engines)
    func unrenewableLease(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let driver = ControlledDriver(fixture.queue.driver)
        let worker = WorkerServiceTests.worker(fixture, executions, timeout: .seconds(120), driver: driver) {
            $0.lease = .seconds(1)
            $0.shutdownGrace = .milliseconds(200)
        }
        try await WorkerServiceTests.running(worker) {
            let id = try #require(try await fixture.queue.enqueue(Task2(n: 1, sleepMilliseconds: 60_000), options: fixture.options))
            #expect(try await eventually { executions.total == 1 })
            driver.allow(claims: false, renewals: false)
            #expect(try await eventually(10) { worker.runningCount == 0 })
            // It recorded nothing: the job is still leased to it, until the lease lapses and the rescuer returns it.
            let job = try #require(try await fixture.queue.job(id))
            #expect(job.state == .running && job.leaseOwner != nil && job.errors.isEmpty)
            try await fixture.passTime(.seconds(2))
            #expect(try await fixture.queue.driver.rescueExpired(limit: 1000) >= 1)
            #expect(try await fixture.queue.job(id)?.state == .available)
        }
        #expect(executions.all[1] == 1)
    }

    @Test("a finished job whose completion is never recorded comes back when its lease lapses", arguments: TestDatabases.engines)
    func unrecordedCompletion(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let executions = Executions()
        let driver = ControlledDriver(fixture.queue.driver)
        // A lease of 9 s renewed every 3 s: long enough that a loaded machine does not make the
        // worker's own clock give up the long job; the database's leases are moved past by passTime.
        let worker = WorkerServiceTests.worker(fixture, executions, timeout: .seconds(120), driver: driver) {
            $0.lease = .seconds(9)
            $0.shutdownGrace = .milliseconds(200)
        }
        try await WorkerServiceTests.running(worker) {
            driver.allow(completions: false)
            // A long job keeps the worker renewing; a quick one finishes, and its completion fails.
            let long = try #require(try await fixture.queue.enqueue(Task2(n: 1, sleepMilliseconds: 60_000), options: fixture.options))
            let quick = try #require(try await fixture.queue.enqueue(Task2(n: 2), options: fixture.options))
            #expect(try await eventually { executions.all[1] == 1 && executions.all[2] == 1 && worker.runningCount == 1 })
            #expect(try await fixture.queue.job(quick)?.state == .running)
            // Later than both leases: a renewal comes for the long job only, then the rescuer runs.
            try await fixture.passTime(.seconds(30))
            #expect(try await Self.nextRenewal(driver))
            #expect(try await fixture.queue.driver.rescueExpired(limit: 1000) >= 1)
            #expect(try await fixture.queue.job(long)?.state == .running)
            #expect(try await fixture.queue.job(quick)?.errors.last?.error.contains("lease expired") == true)
            // The job comes back and runs again; once completions work, it is done.
            driver.allow(completions: true)
            #expect(try await eventually { try await fixture.queue.job(quick) == nil })
        }
        #expect(executions.all[2] == 2)
    }
}
