import Foundation
@testable import Queue
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Schedules: one unreadable row does not stop the others")
struct ScheduleRowTests {
    @Test("a schedule with a bad cron or an unknown time zone is disabled with the reason; the others fire", arguments: TestDatabases.engines)
    func badRows(engine: Engine) async throws {
        let fixture = try await QueueFixture.make(engine)
        let names = ["good", "bad-cron", "bad-zone"].map { "\($0)-" + fixture.name }
        for (n, name) in names.enumerated() {
            try await fixture.queue.schedule(try Schedule(name: name, cron: try CronExpression("0 3 * * *"), timeZone: TimeZone(identifier: "Europe/Istanbul")!,
                                                          args: Ping(n: n), options: fixture.options))
        }
        try await fixture.database.transaction(.system) { sql in
            try await sql.raw("UPDATE job_schedules SET cron = 'every tuesday' WHERE name = \(bind: names[1])").run()
            try await sql.raw("UPDATE job_schedules SET time_zone = 'Mars/Olympus_Mons' WHERE name = \(bind: names[2])").run()
            try await sql.raw("UPDATE job_schedules SET next_run_at = \(bind: Date().addingTimeInterval(-60)) WHERE name IN (\(binds: names))").run()
        }
        _ = try await fixture.queue.driver.fireSchedules(limit: 100)
        #expect(try await fixture.count(.available) == 1)
        let rows = try await fixture.database.read(.system) { sql in
            try await sql.raw("SELECT name, enabled, disabled_reason, next_run_at FROM job_schedules WHERE name IN (\(binds: names))").all().map { row in
                (name: try row.decode(column: "name", as: String.self), enabled: try row.decode(column: "enabled", as: Bool.self),
                 reason: try row.decode(column: "disabled_reason", as: String?.self), next: try row.decode(column: "next_run_at", as: Date.self))
            }
        }
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0) })
        let good = try #require(byName[names[0]])
        #expect(good.enabled && good.reason == nil && good.next > Date())
        let badCron = try #require(byName[names[1]])
        #expect(!badCron.enabled && badCron.reason?.isEmpty == false)
        let badZone = try #require(byName[names[2]])
        #expect(!badZone.enabled && badZone.reason?.contains("Mars/Olympus_Mons") == true)
        // The next round neither fails nor fires them again.
        _ = try await fixture.queue.driver.fireSchedules(limit: 100)
        #expect(try await fixture.count() == 1)
        // Saving the schedule again (fixed) enables it and clears the reason.
        try await fixture.queue.schedule(try Schedule(name: names[2], cron: try CronExpression("0 3 * * *"), timeZone: TimeZone(identifier: "Europe/Istanbul")!,
                                                      args: Ping(n: 2), options: fixture.options))
        let fixed = try await fixture.database.read(.system) { sql in
            try await sql.raw("SELECT disabled_reason FROM job_schedules WHERE name = \(bind: names[2])").first(decodingColumn: "disabled_reason", as: String?.self)
        }
        #expect(fixed == .some(nil))
    }
}
