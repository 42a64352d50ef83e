import Contracts
import Foundation
import Kernel
import Storage
import Testing
import TestSupport

/// The dashboard's figures and the status board, from the kernel, on both engines.
@Suite("Branch figures and the status board")
struct BranchFiguresTests {
    /// A clock the test sets, read by the kernel.
    final class SetClock: @unchecked Sendable {  // guarded by its lock
        private let lock = NSLock()
        private var date: Date
        init(_ date: Date) { self.date = date }
        var now: Date { lock.withLock { date } }
        func set(_ new: Date) { lock.withLock { date = new } }
    }

    @Test("orders and revenue per branch in a period, items ready now and those ready for over a week; a branch's staff see their branch only",
          arguments: TestDatabases.engines)
    func figures(engine: Engine) async throws {
        let start = Date(timeIntervalSince1970: 1_796_126_400)  // 2026-12-01 12:00 UTC
        let clock = SetClock(start.addingTimeInterval(-10 * 86_400))
        let kernel = try await TestKernels.make(engine, settings: TestKernels.settings(clock: Clock { clock.now }))
        let fixture = try await TenantFixture.make(kernel)
        let (desk, branch) = try await fixture.addStaff(kernel, role: .frontDesk)
        let owner = fixture.ownerPrincipal
        let customer = try await fixture.customer(kernel)
        func order(_ services: [String], at branchID: UUID) async throws -> Order {
            try await kernel.orders.create(OrderDraft(customerId: customer.id, items: services.map { LineRequest(service: $0) }, branchId: branchID), by: owner)
        }
        // Ten days back: an item made ready then waits uncollected.
        let old = try await order(["coat"], at: fixture.branch.id)
        for stage in ["cleaning", "ready"] { _ = try await kernel.tracking.scan(old.items[0].tag, to: stage, note: nil, by: owner) }
        clock.set(start)
        let first = try await order(["shirt", "shirt"], at: fixture.branch.id)
        let second = try await order(["trousers"], at: branch.id)
        let cancelled = try await order(["dress"], at: branch.id)
        _ = try await kernel.orders.cancel(cancelled.id, reason: "Müşteri vazgeçti", by: owner)
        for stage in ["cleaning", "ready"] { _ = try await kernel.tracking.scan(second.items[0].tag, to: stage, note: nil, by: owner) }

        let day = (from: start.addingTimeInterval(-3_600), to: start.addingTimeInterval(3_600))
        let all = Dictionary(uniqueKeysWithValues: try await kernel.branchFigures.figures(from: day.from, to: day.to, by: owner).map { ($0.branchID, $0) })
        #expect(all[fixture.branch.id]?.orders == 1)
        #expect(all[fixture.branch.id]?.revenue == first.totals.total)
        #expect(all[fixture.branch.id]?.itemsReady == 1)
        #expect(all[fixture.branch.id]?.uncollected == 1, "ready for ten days")
        #expect(all[branch.id]?.orders == 1, "the cancelled order is left out")
        #expect(all[branch.id]?.revenue == second.totals.total)
        #expect(all[branch.id]?.itemsReady == 1)
        #expect(all[branch.id]?.uncollected == 0)

        let seenByDesk = try await kernel.branchFigures.figures(from: day.from, to: day.to, by: fixture.principal(desk))
        #expect(seenByDesk.map(\.branchID) == [branch.id])
        let sales = try await kernel.branchFigures.sales(from: day.from.addingTimeInterval(-11 * 86_400), to: day.to, by: owner)
        #expect(sales.map(\.total).reduce(Money.zero, +) == old.totals.total + first.totals.total + second.totals.total)
        await #expect { try await kernel.branchFigures.sales(from: day.from.addingTimeInterval(-100 * 86_400), to: day.to, by: owner) } throws: {
            ($0 as? DomainError)?.code == .invalidParameter
        }
    }

    @Test("the board counts items per open stage and lists a stage's items longest-waiting first, within the branch", arguments: TestDatabases.engines)
    func board(engine: Engine) async throws {
        let clock = SetClock(Date(timeIntervalSince1970: 1_796_126_400))
        let kernel = try await TestKernels.make(engine, settings: TestKernels.settings(clock: Clock { clock.now }))
        let fixture = try await TenantFixture.make(kernel)
        let (desk, branch) = try await fixture.addStaff(kernel, role: .frontDesk)
        let owner = fixture.ownerPrincipal
        let customer = try await fixture.customer(kernel)
        var tags: [String] = []
        for minutes in [0, 10, 20] {
            clock.set(Date(timeIntervalSince1970: 1_796_126_400 + Double(minutes * 60)))
            let order = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "shirt")], branchId: branch.id), by: owner)
            tags.append(order.items[0].tag)
        }
        // Made ready in reverse order: the last order's shirt has waited longest.
        for (offset, tag) in tags.reversed().enumerated() {
            clock.set(Date(timeIntervalSince1970: 1_796_130_000 + Double(offset * 60)))
            for stage in ["cleaning", "ready"] { _ = try await kernel.tracking.scan(tag, to: stage, note: nil, by: owner) }
        }
        _ = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: [LineRequest(service: "coat")], branchId: fixture.branch.id), by: owner)
        let counts = try await kernel.board.counts(by: owner)
        #expect(counts == ["ready": 3, "accepted": 1])
        let ready = try await kernel.board.items(at: "ready", by: owner)
        #expect(ready.map(\.tag) == tags.reversed())
        #expect(ready.allSatisfy { $0.customerName == customer.name })
        #expect(try await kernel.board.counts(by: fixture.principal(desk)) == ["ready": 3], "the front desk sees its own branch")
        _ = try await kernel.tracking.scan(tags[0], to: "delivered", note: nil, by: owner)
        #expect(try await kernel.board.counts(by: owner) == ["ready": 2, "accepted": 1], "delivered items leave the board")
        await #expect { try await kernel.board.items(at: "ready", limit: 0, by: owner) } throws: { ($0 as? DomainError)?.code == .invalidParameter }
    }
}
