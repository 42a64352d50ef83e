import Foundation
import Storage
import Testing
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `crm serve` processes on one PostgreSQL database, as behind a load balancer: each caches the
/// sessions it has checked, and a session ended or narrowed through one must fail on the very next
/// request to the other.
@Suite("Revocation across server processes")
struct RevocationAcrossProcessesTests {
    @Test("sign-out, a role change and a password change through one process end the session in the other at once",
          .enabled(if: TestDatabases.engines.contains(.postgres)))
    func revokedEverywhere() async throws {
        let environment = CRMProcess.environment(database: try await CRMProcess.databaseURL(.postgres))
        let created = try CRMProcess.run(
            ["tenant", "create", "--slug", "iki-surec", "--name", "İki Süreç Kuru Temizleme", "--sector", "drycleaning",
             "--owner-email", "sahip@ikisurec.example", "--owner-name", "Selin Sahip", "--owner-password-stdin"],
            environment: environment, input: "sahibin-uzun-parolasi-1\n")
        try #require(created.status == 0, "\(created.errors)")
        let a = try await ServerProcess.start(environment: environment)
        defer { a.stop() }
        let b = try await ServerProcess.start(environment: environment)
        defer { b.stop() }

        let owner = try await a.login("sahip@ikisurec.example", "sahibin-uzun-parolasi-1")
        let branches = try await a.call("GET", "/api/v1/branches", token: owner)
        let branchID = try #require(((branches.json["items"] as? [[String: Any]])?.first ?? [:])["id"] as? String)
        let user = try await a.call("POST", "/api/v1/users", token: owner, body: [
            "email": "tezgah@ikisurec.example", "name": "Tezgah Görevlisi", "role": "front_desk", "branchId": branchID,
            "password": "masanin-uzun-parolasi-1",
        ])
        try #require(user.status == 201, "\(user.json)")
        let userID = try #require((user.json["user"] as? [String: Any])?["id"] as? String)

        // Sessions signed in through either process, each used through both so that both cache it.
        let desk1 = try await b.login("tezgah@ikisurec.example", "masanin-uzun-parolasi-1")
        let desk2 = try await a.login("tezgah@ikisurec.example", "masanin-uzun-parolasi-1")
        let ownerOnB = try await b.login("sahip@ikisurec.example", "sahibin-uzun-parolasi-1")
        for server in [a, b] {
            for token in [owner, desk1, desk2, ownerOnB] {
                for _ in 0..<3 { #expect(try await server.call("GET", "/api/v1/me", token: token).status == 200) }
            }
        }

        // Signed out through A: the very next request to B fails.
        #expect(try await a.call("POST", "/api/v1/auth/logout", token: desk1).status == 204)
        #expect(try await b.call("GET", "/api/v1/me", token: desk1).status == 401)
        #expect(try await b.call("GET", "/api/v1/me", token: desk2).status == 200, "another session of the same user stays")

        // The user's role changed through B: their session fails on A at once.
        let demoted = try await b.call("PATCH", "/api/v1/users/\(userID)", token: owner, body: ["role": "courier"])
        #expect(demoted.status == 200, "\(demoted.json)")
        #expect(try await a.call("GET", "/api/v1/customers", token: desk2).status == 401)

        // The owner changed their password through A: their other session, cached by B, fails on B.
        let changed = try await a.call("PUT", "/api/v1/me/password", token: owner, body: [
            "currentPassword": "sahibin-uzun-parolasi-1", "newPassword": "sahibin-yeni-uzun-parolasi-2",
        ])
        #expect(changed.status == 204, "\(changed.json)")
        #expect(try await b.call("GET", "/api/v1/me", token: ownerOnB).status == 401)
        #expect(try await b.call("GET", "/api/v1/me", token: owner).status == 200, "the session that changed it stays")
    }
}

extension RevocationAcrossProcessesTests {
    /// On SQLite the serving process counts the file's changes itself (no statement per request
    /// for the revocation counter), which holds only while no other process serves from the file.
    @Test("on SQLite a second `crm serve` on the same file refuses to start, and says why")
    func oneServerPerFile() async throws {
        let environment = CRMProcess.environment(database: CRMProcess.temporarySQLite())
        let first = try await ServerProcess.start(environment: environment)
        defer { first.stop() }
        let second = try CRMProcess.run(["serve", "--port", "\(try CRMProcess.freePort())"], environment: environment)
        #expect(second.status != 0)
        #expect(second.errors.contains("another process is serving from"), "\(second.errors)")
        #expect(try await first.call("GET", "/readyz").status == 200)
    }
}

/// One `crm serve` on a free port, stopped with SIGTERM.
struct ServerProcess {
    let process: Process
    let base: String

    static func start(environment: [String: String]) async throws -> ServerProcess {
        let port = try CRMProcess.freePort()
        let process = Process()
        process.executableURL = CRMProcess.binary
        process.arguments = ["serve", "--port", "\(port)"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(process: process, base: "http://127.0.0.1:\(port)")
        let up = try await eventually(60) {
            (try? await URLSession.shared.data(from: URL(string: "\(server.base)/readyz")!).1 as? HTTPURLResponse)?.statusCode == 200
        }
        try #require(up, "crm serve did not become ready")
        return server
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: [String: Any]? = nil) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    func login(_ email: String, _ password: String) async throws -> String {
        let answer = try await call("POST", "/api/v1/auth/login", body: ["tenant": "iki-surec", "email": email, "password": password])
        return try #require(answer.json["token"] as? String, "\(answer)")
    }
}
