import ArgumentParser
import Contracts
import Foundation
import Kernel
import Logging
import Notify
import PostgresNIO
import Queue
import SQLKit
import Storage
import TestSupport

/// `crm-bench notify`: "ready" notifications drained by `crm worker` processes on PostgreSQL,
/// sending SMS to a local Netgsm gateway that answers at once. The orders are real, made by the
/// kernel; each gets the job a scan to ready enqueues (`NotifySubscriber.job`, same options), and
/// every round enqueues the same jobs again, so each drains the same messages. The message log
/// holds a week-old message per order, as a working shop's log holds its history, and is analysed
/// before each round as autovacuum keeps it; each round's own rows are removed before the next.
/// The gateway counts what it received: every message once, none missing, none twice, or the
/// round fails.
struct NotifyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notify", abstract: "Measure notification sending on PostgreSQL.")

    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option(help: "The product's binary, whose `crm worker` processes send.") var crm: String
    @Option(help: "Notifications per measurement.") var messages = 50_000
    @Option(help: "Customers the orders belong to (each with a phone number of its own).") var customers = 10_000
    @Option(help: "Worker process counts to measure, interleaved.") var processes = "1,4"
    @Option(help: "Rounds of every process count.") var rounds = 3
    @Option(help: "Message jobs each worker process runs at once.") var concurrency = 800
    @Flag var json = false

    struct Round: Codable {
        let processes: Int
        let seconds: Double
        let sendsPerSecond: Double
        let received: Int
        let distinct: Int
        let requests: Int
    }

    func run() async throws {
        let logger = { var logger = Logger(label: "crm-bench"); logger.logLevel = .warning; return logger }()
        let location = try DatabaseLocation.parse(databaseURL)
        guard case .postgres = location else { throw ValidationError("the notification benchmark runs on PostgreSQL") }
        let counts = processes.split(separator: ",").compactMap { Int($0) }
        let secretKey = SecretBox.generateKey()
        let gateway = try await NetgsmGateway.start()
        let results = try await DatabaseConnector.with(location, poolSize: 24, logger: logger) { database in
            try await measure(database, gateway: gateway, secretKey: secretKey, counts: counts, logger: logger)
        }
        await gateway.stop()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            for count in counts {
                let rates = results.filter { $0.processes == count }.map(\.sendsPerSecond).sorted()
                print("\(count) process(es): median \(Int(rates[rates.count / 2])) sends/s (rounds: \(rates.map { String(Int($0)) }.joined(separator: ", ")))")
            }
        }
    }

    func measure(_ database: any Database, gateway: NetgsmGateway, secretKey: String, counts: [Int], logger: Logger) async throws -> [Round] {
        var settings = TestKernels.settings()
        settings.secrets = try SecretBox(base64Key: secretKey)
        let kernel = Kernel(database: database, registry: TestKernels.registry, settings: settings,
                            subscribers: [NotifySubscriber(queue: "notifications")],
                            settingsCatalog: try SettingsCatalog([NotifyModule.settings], registry: TestKernels.registry),
                            featureMigrations: TestKernels.featureMigrations)
        _ = try await kernel.migrate(logger: logger)

        FileHandle.standardError.write(Data("== \(messages) orders for \(customers) customers, each with its \"ready\" message job\n".utf8))
        let (tenantID, saved) = try await Self.prepare(kernel: kernel, messages: messages, customers: customers)
        try await Self.writeHistory(database, tenantID: tenantID)
        var results: [Round] = []
        for round in 1...rounds {
            for count in counts {
                try await Self.clear(database, tenantID: tenantID)
                gateway.reset()
                let workers = try await ProductWorkers.start(count: count, crm: crm, databaseURL: databaseURL, concurrency: concurrency,
                                                            environment: ["CRM_SECRET_KEY": secretKey, "CRM_NETGSM_URL": gateway.baseURL],
                                                            database: database)
                let start = ContinuousClock.now
                _ = try await kernel.queue.enqueueBatch(saved)
                try await Self.waitUntilDrained(database, gateway: gateway, expected: messages)
                let elapsed = ContinuousClock.now - start
                await workers.stop()
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let sent = gateway.sent
                let distinct = Set(sent.map { $0.number + "|" + $0.text }).count
                let result = Round(processes: count, seconds: seconds, sendsPerSecond: Double(messages) / seconds, received: sent.count,
                                   distinct: distinct, requests: Set(sent.map(\.jobID)).count)
                FileHandle.standardError.write(Data("round \(round), \(count) process(es): \(Int(result.sendsPerSecond)) sends/s, \(sent.count) received, \(distinct) distinct, \(result.requests) requests\n".utf8))
                guard sent.count == messages, distinct == messages else {
                    throw ValidationError("the gateway received \(sent.count) messages (\(distinct) distinct), not \(messages)")
                }
                try await Self.checkLog(database, tenantID: tenantID, expected: messages)
                results.append(result)
            }
        }
        return results
    }

    /// A carpet tenant with a Netgsm account, `customers` customers and `messages` one-carpet
    /// orders; returns the "ready" message job of each, as a scan to ready enqueues it.
    static func prepare(kernel: Kernel, messages: Int, customers: Int) async throws -> (UUID, [NewJob]) {
        let tenant = try await TenantFixture.make(kernel, sector: "carpet")
        let owner = tenant.ownerPrincipal
        for (key, value) in [("netgsm_usercode", "8508400000"), ("netgsm_password", "gizli-parola"), ("netgsm_header", "HALIYIKAMA")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: owner)
        }
        let customerIDs = try await parallel(customers) { index in
            try await kernel.customers.create(
                CustomerDraft(name: "Müşteri \(index)", phones: [PhoneInput(number: String(format: "0532%07d", index))], salutation: index % 2 == 0 ? "bey" : "hanim"),
                by: owner
            ).id
        }
        let orderIDs = try await parallel(messages) { index in
            try await kernel.orders.create(
                OrderDraft(customerId: customerIDs[index % customers], items: [LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300)]),
                by: owner
            ).id
        }
        // The jobs the scans to ready would enqueue, one per order.
        let ready = try kernel.registry.require("carpet").workflow.readyStage
        var options = OrderMessageJob.options()
        options.tenantID = tenant.tenant.id
        let now = Date()
        let jobs = try orderIDs.map { try NewJob(NotifySubscriber.job(orderID: $0, stage: ready, at: now), options: options) }
        return (tenant.tenant.id, jobs)
    }

    /// One delivered message a week old per order: the log a shop has after its first weeks.
    static func writeHistory(_ database: any Database, tenantID: UUID) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("""
                INSERT INTO notify_messages (tenant_id, id, dedupe_key, customer_id, order_id, message, purpose, channel, recipient,
                    body, encoding, segments, cost_units, status, reason, provider, provider_id, attempts, job_id,
                    created_at, updated_at, sent_at, delivered_at)
                SELECT o.tenant_id, gen_random_uuid(), 'order:' || upper(o.id::text) || ':receipt', o.customer_id, o.id, 'receipt',
                    'transactional', 'sms', '+905320000000', 'Siparişiniz alındı.', 'gsm7', 1, 1, 'delivered', NULL, 'netgsm',
                    'history-' || o.number, 1, NULL, now() - interval '7 days', now() - interval '7 days',
                    now() - interval '7 days', now() - interval '7 days'
                FROM orders o WHERE o.tenant_id = \(bind: tenantID)
                """).run()
        }
    }

    /// `work(0..<count)` on 16 tasks; the answers in order.
    static func parallel<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        let tickets = Tickets()
        return try await withThrowingTaskGroup(of: [(Int, T)].self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var done: [(Int, T)] = []
                    while true {
                        let index = tickets.next() - 1
                        guard index < count else { return done }
                        done.append((index, try await work(index)))
                    }
                }
            }
            var all: [(Int, T)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The history alone in the message log, an empty queue, vacuumed, analysed and checkpointed,
    /// before each round.
    static func clear(_ database: any Database, tenantID: UUID) async throws {
        try await database.transaction(.system) { sql in
            try await sql.raw("DELETE FROM notify_messages WHERE tenant_id = \(bind: tenantID) AND created_at > now() - interval '1 day'").run()
            try await sql.raw("DELETE FROM jobs WHERE queue = 'notifications'").run()
        }
        if let postgres = database as? PostgresStore {
            try await postgres.withConnection { connection in
                let logger = Logger(label: "crm-bench")
                _ = try await connection.query("VACUUM ANALYZE jobs", logger: logger)
                _ = try await connection.query("VACUUM ANALYZE notify_messages", logger: logger)
                _ = try? await connection.query("CHECKPOINT", logger: logger)  // needs pg_checkpoint, which the script grants
            }
        }
    }

    /// Until the gateway has every message and no message job is left.
    static func waitUntilDrained(_ database: any Database, gateway: NetgsmGateway, expected: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            if gateway.sent.count >= expected {
                let left = try await database.read(.system) { sql in
                    try await sql.raw("""
                        SELECT count(*) AS n FROM jobs WHERE queue = 'notifications' AND kind = \(bind: OrderMessageJob.kind)
                        """).first(decodingColumn: "n", as: Int.self) ?? 0
                }
                if left == 0 { return }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationError("the notifications did not drain within 10 minutes (\(gateway.sent.count) received)")
    }

    /// Every message on record as sent, once.
    static func checkLog(_ database: any Database, tenantID: UUID, expected: Int) async throws {
        let (sent, all) = try await database.read(.system) { sql in
            let row = try await sql.raw("""
                SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(*) AS total FROM notify_messages
                WHERE tenant_id = \(bind: tenantID) AND created_at > now() - interval '1 day'
                """).first()
            return (try row?.decode(column: "sent", as: Int.self) ?? 0, try row?.decode(column: "total", as: Int.self) ?? 0)
        }
        guard sent == expected, all == expected else { throw ValidationError("the message log has \(sent) sent of \(all) rows, not \(expected)") }
    }
}

/// `crm worker` processes of the product's binary.
final class ProductWorkers: @unchecked Sendable {  // started and stopped by the bench's one task
    private var processes: [Process] = []

    static func start(count: Int, crm: String, databaseURL: String, concurrency: Int, environment: [String: String],
                      database: any Database) async throws -> ProductWorkers {
        let started = ProductWorkers()
        let before = try await listeners(database)
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: crm)
            process.arguments = ["worker", "--database-url", databaseURL, "--queues", "notifications:\(concurrency)", "--log-level", "warning"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            try process.run()
            started.processes.append(process)
        }
        // A worker is ready once it listens for new jobs.
        let deadline = ContinuousClock.now + .seconds(60)
        while try await listeners(database) < before + count {
            guard ContinuousClock.now < deadline else { throw ValidationError("the worker processes did not start listening") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return started
    }

    static func listeners(_ database: any Database) async throws -> Int {
        try await database.read(.system) { sql in
            try await sql.raw("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN%'").first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    func stop() async {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) } }
    }
}
