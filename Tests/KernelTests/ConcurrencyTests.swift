import Contracts
import Foundation
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

/// Writers that read, decide and write, racing on PostgreSQL (READ COMMITTED) from separate
/// connections: each decision must see the previous writer's result. SQLite serialises writers,
/// so the same checks hold there by construction.
@Suite("Concurrent writers on PostgreSQL", .enabled(if: TestDatabases.engines.contains(.postgres)))
struct ConcurrencyTests {
    @Test("the same ETag sent by many at once: one update succeeds, the others answer 412")
    func ifMatchRace() async throws {
        let kernel = try await TestKernels.make(.postgres)
        let fixture = try await TenantFixture.make(kernel)
        let customer = try await fixture.customer(kernel)
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do {
                        _ = try await kernel.customers.update(customer.id, Self.notes("writer \(n)"),
                                                              expectedVersion: customer.version, by: fixture.ownerPrincipal)
                        return "ok"
                    } catch let error as DomainError {
                        return error.code.rawValue
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == "ok" }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == ErrorCode.preconditionFailed.rawValue }.count == 7, "\(outcomes)")
        #expect(try await kernel.customers.get(customer.id, by: fixture.ownerPrincipal).version == customer.version + 1)
    }

    @Test("an update and a delete with the same ETag at once: exactly one of them happens")
    func deleteRace() async throws {
        let kernel = try await TestKernels.make(.postgres)
        let fixture = try await TenantFixture.make(kernel)
        for _ in 0..<5 {
            let customer = try await fixture.customer(kernel)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    do {
                        _ = try await kernel.customers.update(customer.id, Self.notes("changed"), expectedVersion: customer.version, by: fixture.ownerPrincipal)
                        return "ok"
                    } catch let error as DomainError { return error.code.rawValue }
                }
                group.addTask {
                    do {
                        try await kernel.customers.delete(customer.id, expectedVersion: customer.version, by: fixture.ownerPrincipal)
                        return "ok"
                    } catch let error as DomainError { return error.code.rawValue }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1, "\(outcomes)")
        }
    }

    static func notes(_ text: String) -> CustomerPatch {
        var patch = CustomerPatch()
        patch.notes = .value(text)
        return patch
    }

    @Test("every item of an order scanned to ready at once: the order is ready, and says so exactly once")
    func readyRace() async throws {
        let kernel = try await TestKernels.make(.postgres)
        let fixture = try await TenantFixture.make(kernel)
        let customer = try await fixture.customer(kernel)
        let order = try await kernel.orders.create(
            OrderDraft(customerId: customer.id, items: Array(repeating: LineRequest(service: "shirt"), count: 8)), by: fixture.ownerPrincipal
        )
        for item in order.items { _ = try await kernel.tracking.scan(item.tag, to: "cleaning", note: nil, by: fixture.ownerPrincipal) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for item in order.items {
                group.addTask { _ = try await kernel.tracking.scan(item.tag, to: "ready", note: nil, by: fixture.ownerPrincipal) }
            }
            try await group.waitForAll()
        }
        #expect(try await kernel.orders.get(order.id, by: fixture.ownerPrincipal).stage == "ready")
        let kinds = try await kernel.database.read(.tenant(fixture.tenant.id)) { sql in
            try await sql.raw("SELECT kind FROM domain_events WHERE tenant_id = \(bind: fixture.tenant.id) AND entity_id = \(bind: order.id.uuidString)")
                .all().map { try $0.decode(column: "kind", as: String.self) }
        }
        #expect(kinds.filter { $0 == "order.ready" }.count == 1, "\(kinds)")
        #expect(kinds.filter { $0 == "order.item_moved" }.count == 16)
    }
}
