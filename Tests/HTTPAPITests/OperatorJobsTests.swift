import Foundation
import HTTPTypes
import Kernel
import Queue
import SQLKit
import Storage
import Testing
import TestSupport
import Workers

struct Undeliverable: JobArgs {
    static let kind = "test.undeliverable"
    let to: String
}

@Suite("HTTP: the operator's view of the job queue")
struct OperatorJobsTests {
    @Test("queue depths, dead jobs with their errors, retry / cancel / discard, each audited", arguments: TestDatabases.engines)
    func jobs(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let kernel = harness.kernel
        let token = try await kernel.auth.issueOperatorToken(label: "ops", lifetime: .seconds(600), by: .commandLine).token
        let name = "ops-" + UUID().uuidString.prefix(8).lowercased()
        let id = try #require(try await kernel.queue.enqueue(Undeliverable(to: "+905321234567"), options: JobOptions(queue: name, maxAttempts: 1)))
        _ = try await kernel.queue.driver.claim(queue: name, limit: 1, worker: "w", lease: .seconds(30))
        try await kernel.queue.driver.fail(id, worker: "w", error: "number blocked by the operator", decision: .dead)
        let fixture = try await TenantFixture.make(kernel)
        try await harness.run { client in
            let stats = try await client.send(.get, "/api/v1/operator/queues", token: token)
            let rows = (stats.json["rows"] as? [[String: Any]] ?? []).filter { $0["queue"] as? String == name }
            #expect(rows.count == 1 && rows.first?["state"] as? String == "dead" && rows.first?["count"] as? Int == 1)

            let dead = try await client.send(.get, "/api/v1/operator/jobs?state=dead&queue=\(name)", token: token)
            #expect(dead.items.count == 1)
            let errors = dead.items.first?["errors"] as? [[String: Any]]
            #expect(errors?.first?["error"] as? String == "number blocked by the operator")

            let retried = try await client.send(.post, "/api/v1/operator/jobs/\(id)/retry", token: token)
            #expect(retried.status == .ok && retried.json["state"] as? String == "available" && retried.json["maxAttempts"] as? Int == 2)
            let again = try await client.send(.post, "/api/v1/operator/jobs/\(id)/retry", token: token)
            #expect(again.status == .conflict && again.code == "conflict")
            #expect(try await client.send(.post, "/api/v1/operator/jobs/\(id)/cancel", token: token).json["state"] as? String == "cancelled")
            #expect(try await client.send(.post, "/api/v1/operator/jobs/\(id)/discard", token: token).status == .conflict)
            #expect(try await client.send(.get, "/api/v1/operator/jobs/\(id)", token: token).json["state"] as? String == "cancelled")

            #expect(try await client.send(.get, "/api/v1/operator/jobs/nope", token: token).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/operator/jobs/999999999", token: token).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/operator/jobs?state=stuck", token: token).code == "invalid_parameter")
            let user = try await client.login(fixture)
            #expect(try await client.send(.get, "/api/v1/operator/jobs", token: user).status == .unauthorized)
            try await QueueGauges(kernel: kernel, metrics: harness.metrics, logger: .init(label: "test")).sample()
            let metrics = try await client.send(.get, "/metrics", token: APIHarness.metricsToken)
            #expect(metrics.text.contains(#"queue_jobs_in_state_count{queue="\#(name)",state="cancelled"} 1"#))
        }
        let actions = try await kernel.database.read(.system) { sql in
            try await sql.raw("SELECT action FROM audit_log WHERE entity = 'job' AND entity_id = \(bind: String(id)) ORDER BY at").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
        #expect(actions == ["job.retry", "job.cancel"])
    }
}
