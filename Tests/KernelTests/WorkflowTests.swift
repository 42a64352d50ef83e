import Contracts
import Foundation
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

/// A typical order of each sector, and the scans that take it from intake to delivery.
struct SectorJourney: Sendable, CustomTestStringConvertible {
    let sector: String
    let lines: [LineRequest]
    /// Scans from intake to delivery.
    let path: [String]
    /// A move the workflow refuses from the initial stage.
    let refused: String

    var testDescription: String { sector }

    static let all: [SectorJourney] = [
        SectorJourney(sector: "drycleaning", lines: [LineRequest(service: "shirt", quantity: 2), LineRequest(service: "coat")],
                      path: ["cleaning", "pressing", "ready", "delivered"], refused: "delivered"),
        SectorJourney(sector: "carpet", lines: [LineRequest(service: "shaggy", widthCm: 160, lengthCm: 230)],
                      path: ["washing", "drying", "ready", "out_for_delivery", "delivered"], refused: "ready"),
        SectorJourney(sector: "shoeshine", lines: [LineRequest(service: "shine")], path: ["in_repair", "ready", "delivered"], refused: "delivered"),
        SectorJourney(sector: "tailoring", lines: [LineRequest(service: "hem")], path: ["fitting", "in_work", "ready", "delivered"], refused: "ready"),
        SectorJourney(sector: "carwash", lines: [LineRequest(service: "exterior", attributes: ["plate": "34 ABC 123", "vehicleClass": "car"])],
                      path: ["washing", "finishing", "ready", "delivered"], refused: "ready"),
    ]
}

@Suite("Tagged items along each sector's workflow")
struct WorkflowTests {
    /// The stages whose entry notifies the customer, in the order the order entered them, as its
    /// published events say (the first stage from `order.created`, later ones from `order.stage_changed`).
    static func events(_ kernel: Kernel, tenantID: UUID) async throws -> [String] {
        let workflow = try kernel.registry.require(try await kernel.tenants.get(tenantID, by: .commandLine).sector).workflow
        return try await kernel.database.read(.tenant(tenantID)) { sql in
            try await sql.raw("""
                SELECT payload FROM domain_events WHERE tenant_id = \(bind: tenantID) AND kind IN ('order.created', 'order.stage_changed')
                ORDER BY occurred_at, ordinal
                """).all().compactMap { row -> String? in
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let event = try decoder.decode(OrderEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
                switch event.change {
                case .created(let stage, _): return workflow.notifyingStages.contains(stage) ? stage : nil
                case .stageChanged(_, let to, let notifies): return notifies ? to : nil
                default: return nil
                }
            }
        }
    }

    @Test("from intake to delivered by tag scans, with a refused move and the notifying stages recorded", arguments: TestDatabases.engines, SectorJourney.all)
    func journey(engine: Engine, journey: SectorJourney) async throws {
        let time = TestTime()
        let kernel = try await TestKernels.make(engine, settings: TestKernels.settings(clock: time.clock))
        let fixture = try await TenantFixture.make(kernel, sector: journey.sector)
        let (desk, branch) = try await fixture.addStaff(kernel, role: .frontDesk, branch: fixture.branch)
        let deskPrincipal = fixture.principal(desk)
        let customer = try await fixture.customer(kernel)
        let order = try await kernel.orders.create(OrderDraft(customerId: customer.id, items: journey.lines), by: deskPrincipal)
        let workflow = try #require(kernel.registry.module(id: journey.sector)).workflow
        #expect(order.stage == workflow.initialStage)
        #expect(order.promisedAt == time.clock.now().addingTimeInterval(TimeInterval(workflow.turnaroundHours * 3600)))
        let prefix = try #require(kernel.registry.module(id: journey.sector)).tagFormat.prefix
        #expect(order.items.allSatisfy { $0.tag.hasPrefix(prefix) && $0.tag.count == prefix.count + 6 })
        #expect(Set(order.items.map(\.tag)).count == order.items.count)

        // A move the workflow does not allow: 409 with the stages that are allowed.
        do {
            _ = try await kernel.tracking.scan(order.items[0].tag, to: journey.refused, note: nil, by: deskPrincipal)
            Issue.record("the workflow let \(workflow.initialStage) → \(journey.refused) through")
        } catch let error as DomainError {
            #expect(error.code == .transitionNotAllowed)
            #expect(error.context["allowedStages"] == workflow.next(from: workflow.initialStage))
        }

        for stage in journey.path {
            time.advance(600)
            for item in order.items {
                let trace = try await kernel.tracking.scan(item.tag.lowercased(), to: stage, note: nil, by: deskPrincipal)
                #expect(trace.item.stage == stage)
                #expect(trace.holder?.id == desk.id)
                #expect(trace.item.branchId == branch.id)
                #expect(trace.item.stageSince == time.clock.now())
            }
        }
        let delivered = try await kernel.orders.get(order.id, by: fixture.ownerPrincipal)
        #expect(delivered.stage == workflow.deliveredStage)
        let trace = try await kernel.tracking.trace(order.items[0].tag, by: fixture.ownerPrincipal)
        #expect(trace.history.map(\.toStage) == [workflow.initialStage] + journey.path)
        #expect(trace.history.first?.kind == .intake)
        #expect(trace.order.customerName == customer.name)
        // The order entered each notifying stage once, and each entry left one domain event.
        let expected = ([workflow.initialStage] + journey.path).filter { workflow.notifyingStages.contains($0) }
        #expect(try await Self.events(kernel, tenantID: fixture.tenant.id) == expected)
    }

    @Test("the order's stage follows its least advanced item", arguments: TestDatabases.engines)
    func orderFollowsItems(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
        let order = try await kernel.orders.create(
            OrderDraft(customerId: try await fixture.customer(kernel).id, items: [LineRequest(service: "shirt"), LineRequest(service: "dress")]),
            by: fixture.ownerPrincipal
        )
        let (first, second) = (order.items[0].tag, order.items[1].tag)
        for stage in ["cleaning", "ready"] { _ = try await kernel.tracking.scan(first, to: stage, note: nil, by: fixture.ownerPrincipal) }
        #expect(try await kernel.orders.get(order.id, by: fixture.ownerPrincipal).stage == "accepted")
        _ = try await kernel.tracking.scan(second, to: "cleaning", note: nil, by: fixture.ownerPrincipal)
        #expect(try await kernel.orders.get(order.id, by: fixture.ownerPrincipal).stage == "cleaning")
        _ = try await kernel.tracking.scan(second, to: "ready", note: "leke kaldı, müşteriye söylendi", by: fixture.ownerPrincipal)
        #expect(try await kernel.orders.get(order.id, by: fixture.ownerPrincipal).stage == "ready")
        // "ready" notifies once for the order, not once per item.
        #expect(try await Self.events(kernel, tenantID: fixture.tenant.id).sorted() == ["accepted", "ready"])
    }

    @Test("cancel, return and re-work are explicit moves with reasons", arguments: TestDatabases.engines)
    func cancelReturnRework(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel, sector: "drycleaning")
        let owner = fixture.ownerPrincipal
        let order = try await kernel.orders.create(
            OrderDraft(customerId: try await fixture.customer(kernel).id, items: [LineRequest(service: "shirt"), LineRequest(service: "suit_2")]),
            by: owner
        )
        let (shirt, suit) = (order.items[0].tag, order.items[1].tag)
        await #expect { try await kernel.tracking.cancel(shirt, reason: " ", by: owner) } throws: { ($0 as? DomainError)?.fields.first?.field == "reason" }
        let cancelled = try await kernel.tracking.cancel(shirt, reason: "müşteri vazgeçti", by: owner)
        #expect(cancelled.item.stage == Workflow.cancelled)
        let afterCancel = try await kernel.orders.get(order.id, by: owner)
        #expect(afterCancel.totals.total == Money(lira: 380))

        for stage in ["cleaning", "ready", "delivered"] { _ = try await kernel.tracking.scan(suit, to: stage, note: nil, by: owner) }
        await #expect { try await kernel.tracking.cancel(suit, reason: "geç kaldı", by: owner) } throws: { ($0 as? DomainError)?.code == .transitionNotAllowed }
        let returned = try await kernel.tracking.returnItem(suit, reason: "yakada leke kalmış", by: owner)
        #expect(returned.item.stage == Workflow.returned)
        #expect(try await kernel.orders.get(order.id, by: owner).stage == Workflow.returned)
        let reworked = try await kernel.tracking.rework(suit, reason: "yeniden temizlik", by: owner)
        #expect(reworked.item.stage == "cleaning" && reworked.item.reworkCount == 1)
        #expect(reworked.history.map(\.kind) == [.intake, .scan, .scan, .scan, .return, .rework])
        #expect(reworked.history.last?.reason == "yeniden temizlik")
        let actions = try await kernel.audit.list(.init(entity: "item"), by: owner).map(\.action)
        #expect(actions == ["item.rework", "item.return", "item.cancel"])
        // A whole order cancels only while every item still can.
        _ = try await kernel.tracking.scan(suit, to: "pressing", note: nil, by: owner)
        await #expect { try await kernel.orders.cancel(order.id, reason: "vazgeçti", by: owner) } throws: { ($0 as? DomainError)?.code == .transitionNotAllowed }
    }

    @Test("tags survive typing: case, hyphens, O for 0; a mistyped character is caught")
    func tagCodes() throws {
        let code = TagCode.make(prefix: "KT", number: 123_456)
        #expect(code.count == 8)
        #expect(try TagCode.parse(code.lowercased(), prefix: "KT") == code)
        #expect(try TagCode.parse("KT-" + code.dropFirst(2).map(String.init).joined(separator: " "), prefix: "KT") == code)
        let zero = TagCode.make(prefix: "KT", number: 5)
        #expect(try TagCode.parse(zero.replacingOccurrences(of: "0", with: "O"), prefix: "KT") == zero)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var caught = 0, swapsCaught = 0, swaps = 0
        for number in [1, 77, 4_096, 999_999] {
            let code = Array(TagCode.make(prefix: "KT", number: number))
            for position in 2..<code.count {
                for replacement in alphabet where replacement != code[position] {
                    var typo = code
                    typo[position] = replacement
                    if (try? TagCode.parse(String(typo), prefix: "KT")) == nil { caught += 1 }
                }
                if position + 1 < code.count, code[position] != code[position + 1] {
                    var swapped = code
                    swapped.swapAt(position, position + 1)
                    swaps += 1
                    if (try? TagCode.parse(String(swapped), prefix: "KT")) == nil { swapsCaught += 1 }
                }
            }
        }
        #expect(caught == 4 * 6 * 31)
        #expect(swapsCaught * 10 >= swaps * 9)
        #expect(throws: DomainError.self) { try TagCode.parse("HY000017", prefix: "KT") }
    }
}
