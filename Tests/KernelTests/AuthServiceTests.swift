import Contracts
import Foundation
import Kernel
import Storage
import Synchronization
import Testing
import TestSupport

/// A clock tests move by hand, and a record of the waits the throttle asked for.
final class TestTime: Sendable {
    private let state = Mutex<(now: Date, waits: [Duration])>((Date(timeIntervalSince1970: 1_800_000_000), []))

    var clock: Clock { Clock { self.state.withLock { $0.now } } }
    var waits: [Duration] { state.withLock { $0.waits } }

    func advance(_ seconds: TimeInterval) {
        state.withLock { $0.now += seconds }
    }

    func sleep(_ duration: Duration) {
        state.withLock { $0.waits.append(duration) }
    }
}

@Suite("Sign-in, tokens and throttling")
struct AuthServiceTests {
    static func kernel(_ engine: Engine, time: TestTime) async throws -> Kernel {
        try await TestKernels.make(engine, settings: TestKernels.settings(clock: time.clock, sleep: { time.sleep($0) }))
    }

    @Test("a sign-in gives a token that authenticates until it expires or is revoked", arguments: TestDatabases.engines)
    func tokenLifecycle(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await Self.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        let signedIn = try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: TenantFixture.ownerPassword, origin: .init())
        #expect(signedIn.token.hasPrefix("crmu_"))
        let principal = try await kernel.auth.authenticate(token: signedIn.token, origin: .init())
        #expect(principal.userID == fixture.owner.id)
        #expect(principal.tenantID == fixture.tenant.id)
        try await kernel.auth.logout(principal)
        await #expect { try await kernel.auth.authenticate(token: signedIn.token, origin: .init()) } throws: { ($0 as? DomainError)?.code == .unauthenticated }

        let second = try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: TenantFixture.ownerPassword, origin: .init())
        time.advance(12 * 3600 + 1)
        await #expect { try await kernel.auth.authenticate(token: second.token, origin: .init()) } throws: { ($0 as? DomainError)?.code == .unauthenticated }
        await #expect { try await kernel.auth.authenticate(token: "crmu_forged", origin: .init()) } throws: { ($0 as? DomainError)?.code == .unauthenticated }
    }

    @Test("wrong password, unknown user and unknown tenant all answer the same", arguments: TestDatabases.engines)
    func sameAnswer(engine: Engine) async throws {
        let kernel = try await Self.kernel(engine, time: TestTime())
        let fixture = try await TenantFixture.make(kernel)
        let attempts = [
            (fixture.tenant.slug, fixture.owner.email, "Wrong-Password-2026"),
            (fixture.tenant.slug, "nobody@example.com", TenantFixture.ownerPassword),
            ("no-such-tenant", fixture.owner.email, TenantFixture.ownerPassword),
        ]
        for (tenant, email, password) in attempts {
            await #expect { try await kernel.auth.login(tenantSlug: tenant, email: email, password: password, origin: .init(address: "10.9.8.7")) } throws: {
                ($0 as? DomainError) == DomainError(.invalidCredentials, "The business, e-mail address or password is not correct.")
            }
        }
    }

    @Test("repeated failures are slowed down, then refused for a while; the right password then works", arguments: TestDatabases.engines)
    func throttle(engine: Engine) async throws {
        let time = TestTime()
        let kernel = try await Self.kernel(engine, time: time)
        let fixture = try await TenantFixture.make(kernel)
        func attempt(_ password: String) async throws -> AuthService.SignedIn {
            try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: password, origin: .init(address: "192.0.2.1"))
        }
        for _ in 0..<5 {
            await #expect { try await attempt("Wrong-Password-2026") } throws: { ($0 as? DomainError)?.code == .invalidCredentials }
        }
        // Attempts 4 and 5 waited, the second twice as long as the first.
        #expect(time.waits == [.milliseconds(500), .seconds(1)])
        // Locked: even the right password is refused, with a time to retry.
        do {
            _ = try await attempt(TenantFixture.ownerPassword)
            Issue.record("a locked account signed in")
        } catch let error as DomainError {
            #expect(error.code == .loginThrottled)
            #expect((error.retryAfterSeconds ?? 0) > 800)
        }
        time.advance(15 * 60 + 1)
        #expect(try await attempt(TenantFixture.ownerPassword).user.id == fixture.owner.id)
    }

    @Test("a disabled user cannot sign in, and their sessions end at once", arguments: TestDatabases.engines)
    func disabledUser(engine: Engine) async throws {
        let kernel = try await Self.kernel(engine, time: TestTime())
        let fixture = try await TenantFixture.make(kernel)
        let (desk, _) = try await fixture.addStaff(kernel, role: .frontDesk)
        let session = try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: desk.email, password: TenantFixture.ownerPassword, origin: .init())
        _ = try await kernel.users.update(desk.id, UserChanges(status: .disabled), by: fixture.ownerPrincipal)
        await #expect { try await kernel.auth.authenticate(token: session.token, origin: .init()) } throws: { ($0 as? DomainError)?.code == .unauthenticated }
        await #expect { try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: desk.email, password: TenantFixture.ownerPassword, origin: .init()) } throws: {
            ($0 as? DomainError)?.code == .accountDisabled
        }
    }

    @Test("changing one's password checks the old one and the policy, and ends other sessions", arguments: TestDatabases.engines)
    func changePassword(engine: Engine) async throws {
        let kernel = try await Self.kernel(engine, time: TestTime())
        let fixture = try await TenantFixture.make(kernel)
        let login = { try await kernel.auth.login(tenantSlug: fixture.tenant.slug, email: fixture.owner.email, password: $0, origin: .init()) }
        let phone = try await login(TenantFixture.ownerPassword)
        let desk = try await login(TenantFixture.ownerPassword)
        let principal = try await kernel.auth.authenticate(token: desk.token, origin: .init())
        await #expect { try await kernel.users.changeOwnPassword(current: "wrong-one-entirely", new: "Yeni-Parola-Ütü-77", by: principal) } throws: {
            ($0 as? DomainError)?.code == .invalidCredentials
        }
        await #expect { try await kernel.users.changeOwnPassword(current: TenantFixture.ownerPassword, new: "password123", by: principal) } throws: {
            ($0 as? DomainError)?.code == .weakPassword
        }
        try await kernel.users.changeOwnPassword(current: TenantFixture.ownerPassword, new: "Yeni-Parola-Ütü-77", by: principal)
        #expect(try await kernel.auth.authenticate(token: desk.token, origin: .init()).userID == fixture.owner.id)
        await #expect { try await kernel.auth.authenticate(token: phone.token, origin: .init()) } throws: { ($0 as? DomainError)?.code == .unauthenticated }
        #expect(try await login("Yeni-Parola-Ütü-77").user.id == fixture.owner.id)
    }

    @Test("operator tokens authenticate operators only, and can be revoked", arguments: TestDatabases.engines)
    func operatorTokens(engine: Engine) async throws {
        let kernel = try await Self.kernel(engine, time: TestTime())
        let issued = try await kernel.auth.issueOperatorToken(label: "ops", lifetime: .seconds(3600), by: .commandLine)
        #expect(try await kernel.auth.authenticateOperator(token: issued.token, origin: .init()).label == "ops")
        await #expect(throws: DomainError.self) { try await kernel.auth.authenticate(token: issued.token, origin: .init()) }
        try await kernel.auth.revokeOperatorToken(id: issued.id, by: .commandLine)
        await #expect(throws: DomainError.self) { try await kernel.auth.authenticateOperator(token: issued.token, origin: .init()) }
    }
}
