import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage
import Synchronization
import Testing
import TestSupport

/// What a later feature (notifications, the ledger) would enqueue for an order that became ready.
struct ReadyNotice: JobArgs {
    static let kind = "test.ready_notice"
    let orderId: UUID
    let number: String
}

/// A subscriber registered from outside the kernel: records every event, enqueues a job when an
/// order is ready, and refuses (throws) on demand.
final class RecordingSubscriber: OrderEventSubscriber {
    private let seen = Mutex<[OrderEvent]>([])
    private let refusing = Mutex(false)
    struct Refused: Error {}

    var events: [OrderEvent] { seen.withLock { $0 } }
    func refuse(_ value: Bool) { refusing.withLock { $0 = value } }

    func handle(_ event: OrderEvent, context: EventContext) async throws {
        if refusing.withLock({ $0 }) { throw Refused() }
        seen.withLock { $0.append(event) }
        if case .ready = event.change {
            try await context.enqueue(ReadyNotice(orderId: event.orderId, number: event.number),
                                      options: JobOptions(queue: "notifications", uniqueKey: "ready:\(event.orderId)"), for: event)
        }
    }
}

@Suite("Order events and their subscribers")
struct OrderEventTests {
    static func jobs(_ kernel: Kernel, orderID: UUID) async throws -> [JobRecord] {
        try await kernel.queue.jobs(state: nil, queue: "notifications", limit: 500).filter { $0.args.contains(orderID.uuidString) }
    }

    @Test("every lifecycle change is published in its transaction, and a subscriber's job exists exactly when the change does",
          arguments: TestDatabases.engines)
    func lifecycle(engine: Engine) async throws {
        let subscriber = RecordingSubscriber()
        let kernel = try await TestKernels.make(engine, subscribers: [subscriber])
        let fixture = try await TenantFixture.make(kernel, sector: "carpet")
        let customer = try await fixture.customer(kernel)
        let order = try await kernel.orders.create(
            OrderDraft(customerId: customer.id, items: [LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300),
                                                        LineRequest(service: "kilim", widthCm: 100, lengthCm: 150)]),
            by: fixture.ownerPrincipal
        )
        #expect(subscriber.events.map(\.name) == ["order.created"])
        #expect(subscriber.events.first?.tenantId == fixture.tenant.id && subscriber.events.first?.number == order.number)

        // A measurement corrected: the event names the sizes, and the total follows.
        _ = try await kernel.orders.correctMeasurements(orderID: order.id, itemID: order.items[0].id, widthCm: 210, lengthCm: 300,
                                                        reason: "measured again", by: fixture.ownerPrincipal)
        #expect(subscriber.events.suffix(2).map(\.name) == ["order.measurement_corrected", "order.total_changed"])
        if case .measurementCorrected(_, _, let from, let to) = subscriber.events[1].change {
            #expect(from.widthCm == 200 && to.widthCm == 210)
        } else { Issue.record("expected a measurement event, got \(subscriber.events[1].change)") }

        // A subscriber that refuses rolls the scan back: the item did not move and no job exists.
        let workflow = try kernel.registry.require("carpet").workflow
        let first = workflow.next(from: workflow.initialStage).first!
        subscriber.refuse(true)
        await #expect(throws: RecordingSubscriber.Refused.self) {
            _ = try await kernel.tracking.scan(order.items[0].tag, to: first, note: nil, by: fixture.ownerPrincipal)
        }
        subscriber.refuse(false)
        #expect(try await kernel.tracking.trace(order.items[0].tag, by: fixture.ownerPrincipal).item.stage == workflow.initialStage)

        // Walk both items to ready: one "ready" for the order, and its job.
        var path: [String] = []
        var stage = workflow.initialStage
        while stage != workflow.readyStage {
            stage = workflow.next(from: stage).first { !$0.hasPrefix("cancel") && $0 != Workflow.cancelled }!
            path.append(stage)
        }
        let before = subscriber.events.count
        for next in path {
            for item in order.items { _ = try await kernel.tracking.scan(item.tag, to: next, note: nil, by: fixture.ownerPrincipal) }
        }
        let names = subscriber.events.dropFirst(before).map(\.name)
        #expect(names.filter { $0 == "order.item_moved" }.count == 2 * path.count)
        #expect(names.filter { $0 == "order.ready" }.count == 1)
        #expect(names.filter { $0 == "order.stage_changed" }.count == path.count)
        let jobs = try await Self.jobs(kernel, orderID: order.id)
        #expect(jobs.count == 1 && jobs.first?.kind == ReadyNotice.kind && jobs.first?.tenantId == fixture.tenant.id)
    }

    @Test("an order cancelled as a whole publishes each item's move, the cancellation and the new total", arguments: TestDatabases.engines)
    func cancellation(engine: Engine) async throws {
        let subscriber = RecordingSubscriber()
        let kernel = try await TestKernels.make(engine, subscribers: [subscriber])
        let fixture = try await TenantFixture.make(kernel)
        let order = try await kernel.orders.create(
            OrderDraft(customerId: try await fixture.customer(kernel).id, items: [LineRequest(service: "shirt"), LineRequest(service: "dress")]),
            by: fixture.ownerPrincipal
        )
        _ = try await kernel.orders.cancel(order.id, reason: "customer changed their mind", by: fixture.ownerPrincipal)
        let names = subscriber.events.dropFirst().map(\.name)
        #expect(names == ["order.item_moved", "order.item_moved", "order.stage_changed", "order.cancelled", "order.total_changed"])
        if case .cancelled(let reason) = subscriber.events[4].change { #expect(reason == "customer changed their mind") }
        if case .totalChanged(let from, let to) = subscriber.events.last!.change {
            #expect(from == order.totals.total && to == .zero)
        }
    }
}
