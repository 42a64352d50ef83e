import Contracts
import Foundation
import Kernel
import Storage
import Testing
import TestSupport

@Suite("Tenant onboarding")
struct TenantServiceTests {
    @Test("a new tenant gets its sector, time zone, first branch, owner and default customer types", arguments: TestDatabases.engines)
    func createsTenant(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "carpet")
        #expect(fixture.tenant.sector == "carpet")
        #expect(fixture.tenant.timeZone == "Europe/Istanbul")
        #expect(fixture.owner.role == .owner)
        let types = try await kernel.customerTypes.list(fixture.ownerPrincipal)
        #expect(types.map(\.code) == ["retail", "corporate", "vip", "staff"])
        #expect(types.map(\.name) == ["Bireysel", "Kurumsal", "VIP", "Personel"])
        #expect(try await kernel.branches.list(fixture.ownerPrincipal).map(\.code) == ["MERKEZ"])
        let audit = try await kernel.audit.list(.init(entity: "tenant"), by: fixture.ownerPrincipal)
        #expect(audit.map(\.action) == ["tenant.create"])
        #expect(audit.first?.actor.kind == .operator)
    }

    @Test("bad tenant input is refused field by field and writes nothing", arguments: TestDatabases.engines)
    func refusesBadInput(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let before = try await kernel.tenants.list(by: .commandLine).count
        let input = NewTenant(slug: "Bad Slug!", name: " ", sector: "laundromat", timeZone: "Mars/Olympus",
                              owner: NewUser(email: "not-an-email", name: "X", role: "owner", password: "short"))
        do {
            _ = try await kernel.tenants.create(input, by: .commandLine)
            Issue.record("created a tenant from bad input")
        } catch let error as DomainError {
            #expect(error.code == .validationFailed)
            let codes = Dictionary(error.fields.map { ($0.field, $0.code) }, uniquingKeysWith: { first, _ in first })
            #expect(codes["slug"] == .invalidSlug)
            #expect(codes["name"] == .invalidValue)
            #expect(codes["sector"] == .unknownSector)
            #expect(codes["timeZone"] == .invalidTimeZone)
            #expect(codes["owner.email"] == .invalidEmail)
        }
        #expect(try await kernel.tenants.list(by: .commandLine).count == before)
    }

    @Test("a taken slug is refused with slug_taken", arguments: TestDatabases.engines)
    func slugTaken(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let again = NewTenant(slug: fixture.tenant.slug, name: "Other", sector: "carwash",
                              owner: NewUser(email: "someone@example.com", name: "Someone", role: "owner"))
        await #expect { try await kernel.tenants.create(again, by: .commandLine) } throws: {
            ($0 as? DomainError)?.code == .slugTaken
        }
    }

    @Test("without a password the owner gets a generated one that passes the policy and signs in", arguments: TestDatabases.engines)
    func generatedPassword(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let slug = "gen-" + UUID().uuidString.prefix(6).lowercased()
        let created = try await kernel.tenants.create(
            NewTenant(slug: slug, name: "Generated", sector: "tailoring", locale: "en",
                      owner: NewUser(email: "boss@\(slug).example", name: "Boss", role: "owner")),
            by: .commandLine
        )
        let password = try #require(created.generatedPassword)
        try PasswordPolicy().check(password, email: created.owner.email)
        #expect(created.branch.code == "MAIN")
        let signedIn = try await kernel.auth.login(tenantSlug: slug, email: "BOSS@\(slug).example", password: password, origin: .init())
        #expect(signedIn.user.id == created.owner.id)
    }
}
