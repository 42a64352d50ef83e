import Foundation
import Queue
import Storage
import Synchronization
import Testing
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `crm` executable, run as operators run it.
struct CRMProcess {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("crm")
    }

    /// Environment for a command: the test's database, cheap bcrypt, nothing from the caller's CRM_* settings.
    static func environment(database: String, extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CRM_") }
        environment["CRM_DATABASE_URL"] = database
        environment["CRM_BCRYPT_COST"] = "4"
        environment["CRM_LOG_LEVEL"] = "warning"
        return environment.merging(extra) { $1 }
    }

    /// Runs a command to its end; returns its exit status and output.
    static func run(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// A TCP port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func temporarySQLite() -> String {
        "sqlite:" + FileManager.default.temporaryDirectory.appendingPathComponent("crm-cli-\(UUID().uuidString)/crm.sqlite").path
    }

    /// A database URL of each engine, empty.
    static func databaseURL(_ engine: Engine) async throws -> String {
        switch engine {
        case .sqlite:
            return temporarySQLite()
        case .postgres:
            let store = try await PostgresDatabases.shared.fresh()
            _ = store
            let location = try TestDatabases.postgresLocation()
            let name = try await store.read(.system) { sql in
                try await sql.raw("SELECT current_database() AS name").first(decodingColumn: "name", as: String.self)!
            }
            return "postgres://\(location.username):\(location.password ?? "")@\(location.host):\(location.port)/\(name)?sslmode=disable"
        }
    }
}

/// Collects what a running process writes, for polling.
final class OutputCollector: Sendable {
    private let text = Mutex("")

    func attach(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            self.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
    }

    var value: String { text.withLock { $0 } }

    func wait(for needle: String, seconds: Double = 60) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if value.contains(needle) { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError.timedOut(needle, value)
    }
}

enum CLIError: Error { case timedOut(String, String) }

struct UnknownKind: JobArgs {
    static let kind = "test.unknown"
    let n: Int
}

@Suite("The crm command line")
struct CommandLineTests {
    @Test("`crm serve --demo` serves, prints a working demo sign-in that its sign-in page states too, works jobs in-process on SQLite, and exits cleanly on SIGTERM")
    func serveAndStop() async throws {
        let process = Process()
        let databaseURL = CRMProcess.temporarySQLite()
        process.executableURL = CRMProcess.binary
        process.arguments = ["serve", "--demo", "--port", "0"]
        process.environment = CRMProcess.environment(database: databaseURL)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let printed = OutputCollector(), logged = OutputCollector()
        printed.attach(output)
        logged.attach(errors)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let text = try await printed.wait(for: "curl")
        let address = try #require(text.firstMatch(of: /serving on (http:\/\/[0-9.]+:[0-9]+)/)?.1)
        let password = try #require(text.firstMatch(of: /password "([^"]+)"/)?.1)

        let (health, healthResponse) = try await URLSession.shared.data(from: URL(string: "\(address)/healthz")!)
        #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: health, as: UTF8.self).contains("ok"))

        // A browser opening the address lands on the sign-in page, which states the demo sign-in.
        let (page, pageResponse) = try await URLSession.shared.data(from: URL(string: "\(address)/")!)
        #expect(pageResponse.url?.path == "/sign-in")
        let html = String(decoding: page, as: UTF8.self)
        #expect(html.contains("action=\"/sign-in\""))
        #expect(html.contains("data-tenant=\"demo\" data-email=\"owner@demo.example\" data-password=\"\(password)\""))

        var login = URLRequest(url: URL(string: "\(address)/api/v1/auth/login")!)
        login.httpMethod = "POST"
        login.setValue("application/json", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data(#"{"tenant":"demo","email":"owner@demo.example","password":"\#(password)"}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: login)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let token = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["token"] as? String)

        var customers = URLRequest(url: URL(string: "\(address)/api/v1/customers?q=ayse")!)
        customers.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (list, _) = try await URLSession.shared.data(for: customers)
        #expect(String(decoding: list, as: UTF8.self).contains("C00001"))

        // The embedded worker claims jobs from the same file: a kind this build has no handler for
        // is tried and put back for a later attempt, with the reason.
        let database = try await SQLiteStore.open(path: String(databaseURL.dropFirst("sqlite:".count)), readers: 1, logger: .init(label: "test"))
        let queue = JobQueue.on(database, logger: .init(label: "test"))
        let job = try #require(try await queue.enqueue(UnknownKind(n: 1)))
        #expect(try await eventually { try await queue.job(job)?.state == .retryable })
        #expect(try await queue.job(job)?.errors.first?.error.contains("no handler for test.unknown") == true)
        await database.close()

        process.terminate() // SIGTERM
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "stderr: \(logged.value)")
        #expect(!logged.value.contains(password), "the password reached the logs")
    }

    @Test("`crm migrate`, `crm tenant create` and `crm tenant list`", arguments: TestDatabases.engines)
    func onboarding(engine: Engine) async throws {
        let environment = CRMProcess.environment(database: try await CRMProcess.databaseURL(engine))
        let migrated = try CRMProcess.run(["migrate"], environment: environment)
        #expect(migrated.status == 0, "\(migrated.errors)")
        let created = try CRMProcess.run(
            ["tenant", "create", "--slug", "kadikoy-hali", "--name", "Kadıköy Halı Yıkama", "--sector", "carpet",
             "--owner-email", "sahip@kadikoyhali.example", "--owner-name", "Hatice Sahip"],
            environment: environment
        )
        #expect(created.status == 0, "\(created.errors)")
        #expect(created.output.contains("Owner's password"))
        let listed = try CRMProcess.run(["tenant", "list"], environment: environment)
        #expect(listed.output.contains("kadikoy-hali\tcarpet\tEurope/Istanbul\tactive"))

        let unknown = try CRMProcess.run(
            ["tenant", "create", "--slug", "x-tenant", "--name", "X", "--sector", "laundromat", "--owner-email", "x@x.example", "--owner-name", "X"],
            environment: environment
        )
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("unknown_sector"))

        let chosen = try CRMProcess.run(
            ["tenant", "create", "--slug", "kurucesme-oto", "--name", "Kuruçeşme Oto Yıkama", "--sector", "carwash",
             "--owner-email", "sahip@kurucesme.example", "--owner-name", "Sahip", "--owner-password-stdin"],
            environment: environment, input: "Oto-Yikama-Kopuk-2026\n"
        )
        #expect(chosen.status == 0 && !chosen.output.contains("Owner's password"), "\(chosen.errors)")
    }

    @Test("operator tokens are issued once and revoked from the command line")
    func operatorTokens() throws {
        let environment = CRMProcess.environment(database: CRMProcess.temporarySQLite())
        let issued = try CRMProcess.run(["operator", "issue-token", "--label", "Ayşe (ops)", "--days", "7"], environment: environment)
        #expect(issued.status == 0, "\(issued.errors)")
        let lines = issued.output.split(separator: "\n")
        #expect(lines.last?.hasPrefix("crmo_") == true)
        let id = try #require(issued.output.firstMatch(of: /token ([0-9a-f-]{36})/)?.1)
        #expect(try CRMProcess.run(["operator", "revoke-token", String(id)], environment: environment).status == 0)
        #expect(try CRMProcess.run(["operator", "revoke-token", String(id)], environment: environment).status != 0)
    }

    @Test("a setting that cannot be used stops the command and names the variable")
    func badConfiguration() throws {
        let bad = try CRMProcess.run(["migrate"], environment: CRMProcess.environment(database: CRMProcess.temporarySQLite(), extra: ["CRM_PORT": "eighty"]))
        #expect(bad.status != 0)
        #expect(bad.errors.contains("CRM_PORT"))
        let url = try CRMProcess.run(["migrate"], environment: CRMProcess.environment(database: "mysql://somewhere/db"))
        #expect(url.status != 0)
        #expect(url.errors.contains("CRM_DATABASE_URL"))
    }

    @Test("`crm jobs` shows dead jobs and retries them")
    func jobsCommands() async throws {
        let databaseURL = CRMProcess.temporarySQLite()
        let environment = CRMProcess.environment(database: databaseURL)
        #expect(try CRMProcess.run(["migrate"], environment: environment).status == 0)
        let database = try await SQLiteStore.open(path: String(databaseURL.dropFirst("sqlite:".count)), readers: 1, logger: .init(label: "test"))
        let queue = JobQueue.on(database, logger: .init(label: "test"))
        let id = try #require(try await queue.enqueue(UnknownKind(n: 2), options: JobOptions(queue: "invoices", maxAttempts: 1)))
        _ = try await queue.driver.claim(queue: "invoices", limit: 1, worker: "w", lease: .seconds(30))
        try await queue.driver.fail(id, worker: "w", error: "portal refused the document", decision: .dead)
        await database.close()

        let stats = try CRMProcess.run(["jobs", "stats"], environment: environment)
        #expect(stats.output.contains("invoices\tdead\t1"))
        let dead = try CRMProcess.run(["jobs", "list", "--state", "dead"], environment: environment)
        #expect(dead.output.contains("\(id)\tinvoices\ttest.unknown\tdead\tattempt 1/1 — portal refused the document"))
        let retried = try CRMProcess.run(["jobs", "do", "retry", "\(id)"], environment: environment)
        #expect(retried.status == 0 && retried.output.contains("is now available"))
        let refused = try CRMProcess.run(["jobs", "do", "retry", "\(id)"], environment: environment)
        #expect(refused.status != 0 && refused.errors.contains("conflict"))
    }

    @Test("`crm worker` works its queues, serves its metrics, and exits 0 on SIGTERM", .enabled(if: TestDatabases.engines.contains(.postgres)))
    func workerProcess() async throws {
        let databaseURL = try await CRMProcess.databaseURL(.postgres)
        let port = try CRMProcess.freePort()
        let process = Process()
        process.executableURL = CRMProcess.binary
        process.arguments = ["worker", "--queues", "notifications:4,invoices", "--concurrency", "2", "--metrics-port", "\(port)", "--grace", "5"]
        process.environment = CRMProcess.environment(database: databaseURL, extra: ["CRM_LOG_LEVEL": "info"])
        let logged = OutputCollector()
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        logged.attach(errors)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        _ = try await logged.wait(for: "worker started")
        #expect(logged.value.contains("queues=invoices:2,notifications:4"))
        var metrics: String?
        #expect(try await eventually {
            metrics = try? String(decoding: await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!).0, as: UTF8.self)
            return metrics != nil
        })
        let health = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!)
        #expect((health.1 as? HTTPURLResponse)?.statusCode == 200)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(logged.value)")
        #expect(logged.value.contains("worker stopped"))
    }
}
