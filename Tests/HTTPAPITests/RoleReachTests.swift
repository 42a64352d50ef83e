import Contracts
import Foundation
import HTTPTypes
import Kernel
import Storage
import Testing
import TestSupport

@Suite("HTTP: what branch managers and couriers reach")
struct RoleReachTests {
    @Test("a branch manager reads the audit rows of their branch only", arguments: TestDatabases.engines)
    func auditByBranch(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let kernel = harness.kernel
        let fixture = try await TenantFixture.make(kernel)
        let (manager, second) = try await fixture.addStaff(kernel, role: .branchManager)
        // A card at the first branch, and one at the manager's.
        let first = try await kernel.customers.create(
            CustomerDraft(name: "Zeynep Gizlioğlu", phones: [PhoneInput(number: "0533 765 43 21")], email: "zeynep@secret.example"),
            by: fixture.ownerPrincipal
        )
        let theirs = try await kernel.customers.create(CustomerDraft(name: "Mehmet Kaya", branchId: second.id), by: fixture.ownerPrincipal)
        try await harness.run { client in
            let token = try await client.login(fixture.tenant.slug, manager.email)
            let reply = try await client.send(.get, "/api/v1/audit?entity=customer", token: token)
            #expect(reply.status == .ok)
            // Her name, number and address, none of which a UUID or a timestamp can spell by chance ("0533" can).
            #expect(!reply.text.contains("Zeynep") && !reply.text.contains("7654321") && !reply.text.contains("zeynep@")
                    && !reply.text.contains(first.id.uuidString), "leaked: \(reply.text)")
            #expect(reply.items.compactMap { $0["entityId"] as? String } == [theirs.id.uuidString])
            let byID = try await client.send(.get, "/api/v1/audit?entity=customer&entityId=\(first.id.uuidString)", token: token)
            #expect(byID.items.isEmpty)
            // The owner sees both.
            let owner = try await client.login(fixture)
            #expect(try await client.send(.get, "/api/v1/audit?entity=customer", token: owner).items.count == 2)
        }
    }

    @Test("a courier sees the orders of their own runs and records only field work", arguments: TestDatabases.engines)
    func courierRuns(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let kernel = harness.kernel
        let fixture = try await TenantFixture.make(kernel, sector: "carpet")
        let (courier, branch) = try await fixture.addStaff(kernel, role: .courier)
        let (other, _) = try await fixture.addStaff(kernel, role: .courier, branch: branch)
        let customer = try await kernel.customers.create(CustomerDraft(name: "Ayşe Yılmaz", branchId: branch.id), by: fixture.ownerPrincipal)
        func order(courier: UUID) async throws -> Order {
            try await kernel.orders.create(
                OrderDraft(customerId: customer.id, items: [LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300)],
                           branchId: branch.id, courierId: courier),
                by: fixture.ownerPrincipal
            )
        }
        let mine = try await order(courier: courier.id)
        let theirs = try await order(courier: other.id)
        let workflow = try kernel.registry.require("carpet").workflow
        try await harness.run { client in
            let token = try await client.login(fixture.tenant.slug, courier.email)
            let listed = try await client.send(.get, "/api/v1/orders", token: token)
            #expect(listed.items.compactMap { ($0["id"] as? String)?.uppercased() } == [mine.id.uuidString], "\(listed.text)")
            #expect(try await client.send(.get, "/api/v1/orders/\(theirs.id.uuidString)", token: token).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/tags/\(theirs.items[0].tag)", token: token).status == .notFound)

            // Washing happens at the branch: a courier cannot record it.
            let tag = mine.items[0].tag
            let refused = try await client.send(.post, "/api/v1/tags/\(tag)/scan", token: token, body: #"{"stage":"washing"}"#)
            #expect(refused.status == .forbidden && refused.code == "forbidden", "\(refused.text)")
            for stage in ["washing", "drying", "ready"] {
                _ = try await kernel.tracking.scan(tag, to: stage, note: nil, by: fixture.ownerPrincipal)
            }
            // Out for delivery is the courier's own work.
            let out = try await client.send(.post, "/api/v1/tags/\(tag)/scan", token: token, body: #"{"stage":"out_for_delivery"}"#)
            #expect(out.status == .ok, "\(out.text)")
            #expect((refused.json["fieldWorkStages"] as? [String]) == workflow.stages.filter(\.fieldWork).map(\.id))
        }
    }
}
