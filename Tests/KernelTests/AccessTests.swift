import Contracts
import Foundation
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Roles, branches and tenant isolation in the kernel")
struct AccessTests {
    @Test("branch-scoped staff see and change only their branch's customers", arguments: TestDatabases.engines)
    func branchScope(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let (desk, branch) = try await fixture.addStaff(kernel, role: .frontDesk)
        let (otherDesk, _) = try await fixture.addStaff(kernel, role: .frontDesk)
        let deskPrincipal = fixture.principal(desk)
        let mine = try await kernel.customers.create(CustomerDraft(name: "Şube Müşterisi"), by: deskPrincipal)
        #expect(mine.branchId == branch.id)
        let headOffice = try await kernel.customers.create(CustomerDraft(name: "Merkez Müşterisi"), by: fixture.ownerPrincipal)

        let seenByDesk = try await kernel.customers.list(.init(), page: try PageRequest(), by: deskPrincipal).items.map(\.id)
        #expect(seenByDesk == [mine.id])
        let seenByOther = try await kernel.customers.list(.init(text: "musterisi"), page: try PageRequest(), by: fixture.principal(otherDesk)).items
        #expect(seenByOther.isEmpty)
        await #expect { try await kernel.customers.get(headOffice.id, by: deskPrincipal) } throws: { ($0 as? DomainError)?.code == .notFound }
        var patch = CustomerPatch()
        patch.name = .value("x")
        await #expect { try await kernel.customers.update(headOffice.id, patch, by: deskPrincipal) } throws: { ($0 as? DomainError)?.code == .notFound }
        patch.branchId = .value(fixture.branch.id)
        await #expect { try await kernel.customers.update(mine.id, patch, by: deskPrincipal) } throws: { ($0 as? DomainError)?.fields.first?.field == "branchId" }
        // The owner sees both.
        #expect(try await kernel.customers.list(.init(), page: try PageRequest(), by: fixture.ownerPrincipal).items.count == 2)
    }

    @Test("roles allow what they should: couriers read, front desks cannot delete, only owners create branches", arguments: TestDatabases.engines)
    func roles(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let (courier, branch) = try await fixture.addStaff(kernel, role: .courier)
        let (desk, _) = try await fixture.addStaff(kernel, role: .frontDesk, branch: branch)
        let (manager, _) = try await fixture.addStaff(kernel, role: .branchManager, branch: branch)
        let (accountant, _) = try await fixture.addStaff(kernel, role: .accountant)
        let customer = try await kernel.customers.create(CustomerDraft(name: "Ali Veli"), by: fixture.principal(desk))
        let forbidden: (any Error) -> Bool = { ($0 as? DomainError)?.code == .forbidden }

        #expect(try await kernel.customers.get(customer.id, by: fixture.principal(courier)).id == customer.id)
        await #expect(performing: { try await kernel.customers.create(CustomerDraft(name: "X"), by: fixture.principal(courier)) }, throws: forbidden)
        await #expect(performing: { try await kernel.customers.delete(customer.id, by: fixture.principal(desk)) }, throws: forbidden)
        await #expect(performing: { try await kernel.branches.create(NewBranch(code: "X1", name: "X"), by: fixture.principal(manager)) }, throws: forbidden)
        await #expect(performing: { try await kernel.customers.create(CustomerDraft(name: "X"), by: fixture.principal(accountant)) }, throws: forbidden)
        // A branch manager adds front-desk staff to their own branch, never an owner.
        let added = try await kernel.users.create(
            NewUser(email: "new.desk@example.com", name: "New Desk", role: "front_desk", password: TenantFixture.ownerPassword),
            by: fixture.principal(manager)
        )
        #expect(added.user.branchId == branch.id)
        await #expect { try await kernel.users.create(NewUser(email: "boss2@example.com", name: "B", role: "owner"), by: fixture.principal(manager)) } throws: {
            ($0 as? DomainError)?.fields.first?.field == "role"
        }
        try await kernel.customers.delete(customer.id, by: fixture.principal(manager))
    }

    @Test("one tenant's principal never reaches another tenant's customer", arguments: TestDatabases.engines)
    func tenantIsolation(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let a = try await TenantFixture.make(kernel)
        let b = try await TenantFixture.make(kernel)
        let secret = try await kernel.customers.create(CustomerDraft(name: "Gizli Müşteri", phones: [PhoneInput(number: "05551112233")]), by: b.ownerPrincipal)
        let notFound: (any Error) -> Bool = { ($0 as? DomainError)?.code == .notFound }
        await #expect(performing: { try await kernel.customers.get(secret.id, by: a.ownerPrincipal) }, throws: notFound)
        await #expect(performing: { try await kernel.customers.update(secret.id, CustomerPatch(), by: a.ownerPrincipal) }, throws: notFound)
        await #expect(performing: { try await kernel.customers.delete(secret.id, by: a.ownerPrincipal) }, throws: notFound)
        #expect(try await kernel.customers.list(.init(text: "gizli"), page: try PageRequest(), by: a.ownerPrincipal).items.isEmpty)
        #expect(try await kernel.customers.list(.init(text: "0555 111 22 33"), page: try PageRequest(), by: a.ownerPrincipal).items.isEmpty)
        #expect(try await kernel.customers.get(secret.id, by: b.ownerPrincipal).name == "Gizli Müşteri")
    }
}

@Suite("PostgreSQL row-level security", .enabled(if: TestDatabases.engines.contains(.postgres)))
struct RowLevelSecurityTests {
    @Test("with the application's scoping bypassed, PostgreSQL still shows and changes no foreign rows")
    func secondWall() async throws {
        let kernel = try await TestKernels.make(.postgres)
        let a = try await TenantFixture.make(kernel)
        let b = try await TenantFixture.make(kernel)
        let mine = try await kernel.customers.create(CustomerDraft(name: "A's customer"), by: a.ownerPrincipal)
        let theirs = try await kernel.customers.create(CustomerDraft(name: "B's customer", phones: [PhoneInput(number: "05321112233")]), by: b.ownerPrincipal)
        let database = kernel.database

        // The role the application connects as is subject to row-level security.
        let role = try await database.read(.system) { sql in
            try #require(try await sql.raw("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").first())
        }
        #expect(try role.decode(column: "rolsuper", as: Bool.self) == false)
        #expect(try role.decode(column: "rolbypassrls", as: Bool.self) == false)

        // Queries without any tenant condition, run in tenant A's scope.
        let (ids, phones, types, users) = try await database.read(.tenant(a.tenant.id)) { sql in
            (try await sql.raw("SELECT id FROM customers").all().map { try $0.decode(column: "id", as: UUID.self) },
             try await sql.raw("SELECT number FROM customer_phones").all().count,
             try await sql.raw("SELECT DISTINCT tenant_id FROM customer_types").all().map { try $0.decode(column: "tenant_id", as: UUID.self) },
             try await sql.raw("SELECT DISTINCT tenant_id FROM users").all().map { try $0.decode(column: "tenant_id", as: UUID.self) })
        }
        #expect(ids == [mine.id])
        #expect(phones == 0)
        #expect(types == [a.tenant.id])
        #expect(users == [a.tenant.id])

        let changed = try await database.transaction(.tenant(a.tenant.id)) { sql in
            try await sql.raw("UPDATE customers SET name = 'taken over' WHERE id = \(bind: theirs.id) RETURNING id").all().count
                + sql.raw("DELETE FROM customer_phones WHERE customer_id = \(bind: theirs.id) RETURNING number").all().count
        }
        #expect(changed == 0)
        await #expect(throws: (any Error).self) {
            try await database.transaction(.tenant(a.tenant.id)) { sql in
                try await sql.raw("""
                    INSERT INTO customer_types (tenant_id, code, name, position, created_at)
                    VALUES (\(bind: b.tenant.id), 'planted', 'Planted', 99, now())
                    """).run()
            }
        }
        // A connection with no scope at all sees nothing.
        guard let postgres = database as? PostgresStore else { Issue.record("not PostgreSQL"); return }
        let bare = try await postgres.withConnection { connection in
            var count = -1
            for try await (value) in try await connection.query("SELECT count(*) FROM customers", logger: .init(label: "test")).decode(Int.self) {
                count = value
            }
            return count
        }
        #expect(bare == 0)
        #expect(try await kernel.customers.get(theirs.id, by: b.ownerPrincipal).name == "B's customer")
    }
}
