import Contracts
import Foundation
import Kernel
import NIOPosix
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

@Suite("Sign-in under attack: one account key, counted before bcrypt, hashing on its own threads")
struct SignInHardeningTests {
    static func code(_ work: @Sendable () async throws -> Void) async -> String {
        do {
            try await work()
            return "ok"
        } catch let error as DomainError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test("a burst of parallel guesses gets no more tries than the limit", arguments: TestDatabases.engines)
    func parallelGuesses(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await AuthServiceTests.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for n in 0..<20 {
                group.addTask {
                    await Self.code {
                        _ = try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: "Guess-\(n)-wrong",
                                                        origin: .init(address: "198.51.100.\(n)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // The account allows five failures; every other guess was refused before its password was checked.
        #expect(outcomes.filter { $0 == ErrorCode.invalidCredentials.rawValue }.count == 5, "\(outcomes)")
        #expect(outcomes.filter { $0 == ErrorCode.loginThrottled.rawValue }.count == 15, "\(outcomes)")
    }

    @Test("the e-mail is one account however it is written: spaces, case, compatibility forms", arguments: TestDatabases.engines)
    func oneKeyPerAccount(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await AuthServiceTests.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        let email = fixture.owner.email
        // Fullwidth letters are the same letters after NFKC.
        let fullwidth = String(String.UnicodeScalarView(email.unicodeScalars.map { scalar in
            ("a"..."z").contains(scalar) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
        }))
        #expect(try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fullwidth, password: TenantFixture.ownerPassword, origin: .init()).user.id
                == fixture.owner.id)
        let variants = [" \(email) ", email.uppercased(), "\t\(email)", fullwidth, email]
        for variant in variants {
            let outcome = await Self.code {
                _ = try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: variant, password: "Wrong-Password-2026", origin: .init())
            }
            #expect(outcome == ErrorCode.invalidCredentials.rawValue)
        }
        // Five failures under five spellings: the account is locked for every spelling.
        let locked = await Self.code {
            _ = try await kernel.auth.login(tenantSlug: fixture.tenant.slug.uppercased(), email: email, password: TenantFixture.ownerPassword, origin: .init())
        }
        #expect(locked == ErrorCode.loginThrottled.rawValue)
        // The throttle stores neither the address nor the account in the clear.
        let keys = try await kernel.database.read(.system) { sql in
            try await sql.raw("SELECT key FROM login_throttle").all().map { try $0.decode(column: "key", as: String.self) }
        }
        #expect(!keys.isEmpty && keys.allSatisfy { !$0.contains("@") && !$0.contains(fixture.tenant.slug) && $0.count == 64 })
    }

    @Test("retrying while locked does not prolong the lock: when it ends, the right password works", arguments: TestDatabases.engines)
    func lockEnds(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await AuthServiceTests.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        @Sendable func attempt(_ password: String) async -> String {
            await Self.code {
                _ = try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: password,
                                                origin: .init(address: "192.0.2.44"))
            }
        }
        for _ in 0..<6 { _ = await attempt("Wrong-Password-2026") }
        for _ in 0..<12 {
            time.advance(60)
            #expect(await attempt(TenantFixture.ownerPassword) == ErrorCode.loginThrottled.rawValue)
        }
        time.advance(4 * 60)
        #expect(await attempt(TenantFixture.ownerPassword) == "ok")
    }

    @Test("guessing the current password through a password change is throttled", arguments: TestDatabases.engines)
    func passwordChangeThrottled(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await AuthServiceTests.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        var outcomes: [String] = []
        for n in 0..<7 {
            outcomes.append(await Self.code {
                try await kernel.users.changeOwnPassword(current: "Guess-\(n)-wrong", new: "Yeni-Parola-Ütü-77", by: fixture.ownerPrincipal)
            })
        }
        #expect(outcomes.prefix(5).allSatisfy { $0 == ErrorCode.invalidCredentials.rawValue }, "\(outcomes)")
        #expect(outcomes.suffix(2).allSatisfy { $0 == ErrorCode.loginThrottled.rawValue }, "\(outcomes)")
        #expect(time.waits.count == 2)
    }

    @Test("hashing runs on its own threads: shared blocking work is not queued behind a flood, and the flood is capped")
    func hashingPool() async throws {
        let hasher = PasswordHasher(cost: 12, threads: 1, maximumWaiting: 3)
        let order = Log()
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    let outcome = await Self.code { _ = try await hasher.hash("Kuru-Temizleme-2026!") }
                    if outcome == "ok" { order.append("hash") }
                    return outcome
                }
            }
            // What SQLite and other blocking work use: it must not wait for the hashes.
            group.addTask {
                _ = try? await NIOThreadPool.singleton.runIfActive { 1 }
                order.append("shared")
                return "shared"
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == ErrorCode.unavailable.rawValue }.count == 2, "\(outcomes)")
        #expect(outcomes.filter { $0 == "ok" }.count == 3)
        // Hashes of ~0.25 s each on one thread of their own: the shared pool answered before the first of them.
        let log = order.entries
        #expect(log.first == "shared", "\(log)")
    }
}

/// What finished, in order, across tasks.
final class Log: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var entries: [String] { lines.withLock { $0 } }
}
