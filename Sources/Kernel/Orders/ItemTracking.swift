import Contracts
import Foundation
import SQLKit
import Storage

/// Following every item by its tag (F5): where it is, with whom, since when; scans that move it
/// along the sector's workflow; cancel, return and re-work with reasons.
public struct ItemTracking: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let clock: Clock
    let events: EventBus

    /// Where the tagged item is now, and its whole history.
    public func trace(_ tag: String, by principal: Principal) async throws -> ItemTrace {
        try principal.require(.readOrders)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let context = try await SectorContext.load(principal, registry: registry, sql: sql)
            let item = try await Self.find(tag, context: context, principal: principal, sql: sql)
            return try await Self.trace(item, context: context, tenantID: principal.tenantID, sql: sql)
        }
    }

    /// Records that the item reached `stage` at the caller's branch. A move the workflow does not
    /// allow is refused with 409 and the stages that are allowed.
    public func scan(_ tag: String, to stage: String?, note: String?, by principal: Principal) async throws -> ItemTrace {
        try principal.require(.trackItems)
        var errors = FieldErrors()
        let target = errors.requiredText("stage", stage, maximum: 40)
        let note = errors.optionalText("note", note, maximum: 500)
        try errors.throwIfAny()
        return try await move(tag, by: principal) { item, workflow in
            guard let declared = workflow.stage(target!) else {
                throw DomainError.invalid("stage", .invalidValue,
                                          "'\(target!.prefix(40))' is not a stage; stages are \(workflow.stages.map(\.id).joined(separator: ", ")).")
            }
            // Couriers record what happens on the road (picked up, out for delivery, delivered), nothing at the counter.
            if principal.role == .courier && !declared.fieldWork {
                throw DomainError(.forbidden, "Couriers record field work only; \(declared.id) is recorded at the branch.",
                                  context: ["fieldWorkStages": workflow.stages.filter(\.fieldWork).map(\.id)])
            }
            let allowed = workflow.next(from: item.stage)
            guard allowed.contains(target!) else {
                throw Self.refused(item, to: target!, allowed: allowed)
            }
            return (target!, .scan, note)
        }
    }

    /// Cancels an item that has not gone past its cancellable stages.
    public func cancel(_ tag: String, reason: String?, by principal: Principal) async throws -> ItemTrace {
        try principal.require(.writeOrders)
        let reason = try OrderService.reason(reason)
        return try await move(tag, by: principal) { item, workflow in
            guard workflow.cancellableStages.contains(item.stage) else {
                throw DomainError(.transitionNotAllowed, "Item \(item.tag) is \(item.stage) and can no longer be cancelled.",
                                  context: ["allowedStages": workflow.next(from: item.stage)])
            }
            return (Workflow.cancelled, .cancel, reason)
        }
    }

    /// Takes back a delivered item the customer brought back.
    public func returnItem(_ tag: String, reason: String?, by principal: Principal) async throws -> ItemTrace {
        try principal.require(.writeOrders)
        let reason = try OrderService.reason(reason)
        return try await move(tag, by: principal) { item, workflow in
            guard item.stage == workflow.deliveredStage else {
                throw DomainError(.transitionNotAllowed, "Only delivered items can be returned; \(item.tag) is \(item.stage).",
                                  context: ["allowedStages": workflow.next(from: item.stage)])
            }
            return (Workflow.returned, .return, reason)
        }
    }

    /// Sends an item back for re-cleaning or alteration.
    public func rework(_ tag: String, reason: String?, by principal: Principal) async throws -> ItemTrace {
        try principal.require(.writeOrders)
        let reason = try OrderService.reason(reason)
        return try await move(tag, by: principal) { item, workflow in
            guard workflow.allowsRework(from: item.stage) else {
                throw DomainError(.transitionNotAllowed, "Item \(item.tag) is \(item.stage); re-work starts from ready, delivered or returned items.",
                                  context: ["allowedStages": workflow.next(from: item.stage)])
            }
            return (workflow.reworkStage, .rework, reason)
        }
    }

    /// Moves an item as `decide` says, then lets its order follow: the order's stage is its least
    /// advanced item's. The move and what it did to the order are published as events in the
    /// same transaction.
    private func move(
        _ tag: String,
        by principal: Principal,
        decide: @Sendable (OrderItem, Workflow) throws -> (stage: String, kind: ItemEvent.Kind, reason: String?)
    ) async throws -> ItemTrace {
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            let context = try await SectorContext.load(principal, registry: registry, sql: sql)
            let workflow = context.workflow
            let found = try await Self.find(tag, context: context, principal: principal, sql: sql)
            let orderID = try await OrderRecords.orderID(ofItem: found.id, tenantID: principal.tenantID, sql: sql)
            // Scans of one order's items take turns: each decides on the item and the order as the
            // previous scan left them, so the order reaches a stage (and its event fires) once.
            try await OrderRecords.lock(orderID, tenantID: principal.tenantID, sql: sql)
            // Read after the lock: a scan that waited is recorded after the one it waited for.
            let now = clock.now()
            let item = try await Self.find(tag, context: context, principal: principal, sql: sql)
            let (stage, kind, reason) = try decide(item, workflow)
            let branchID = principal.confinedBranch ?? principal.branchID ?? item.branchId
            try await OrderRecords.moveItem(item, orderID: orderID, to: stage, kind: kind, reason: reason, principal: principal,
                                            branchID: branchID, at: now, sql: sql)
            var adjustments: [OrderAdjustment]? = nil
            if kind == .cancel {
                adjustments = context.adjustments(for: try await OrderRecords.loadItems(orderID: orderID, tenantID: principal.tenantID, sql: sql))
            }
            let refresh = try await OrderRecords.refresh(orderID, adjustments: adjustments, workflow: workflow,
                                                         tenantID: principal.tenantID, at: now, sql: sql)
            let events = OrderEvents(tenantID: principal.tenantID, order: try await OrderRecords.reference(orderID, tenantID: principal.tenantID, sql: sql), at: now)
            try await self.events.publish(
                [events.event(.itemMoved(itemId: item.id, tag: item.tag, from: item.stage, to: stage, kind: kind, reason: reason))]
                    + events.afterChange(refresh, workflow: workflow, reason: reason),
                sql: sql
            )
            if kind != .scan {
                try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: branchID, actor: principal.actor, action: "item.\(kind.rawValue)",
                                          entity: "item", entityID: item.tag, before: ["stage": item.stage],
                                          after: ["stage": stage, "reason": reason ?? ""], at: now)
            }
            let moved = try await OrderRecords.item(tag: item.tag, scope: .init(wholeTenant: principal.tenantID), sql: sql)!
            return try await Self.trace(moved, context: context, tenantID: principal.tenantID, sql: sql)
        }
    }

    private static func find(_ tag: String, context: SectorContext, principal: Principal, sql: any SQLDatabase) async throws -> OrderItem {
        let code = try TagCode.parse(tag, prefix: context.module.tagFormat.prefix)
        guard let item = try await OrderRecords.item(tag: code, scope: .init(principal), sql: sql) else {
            throw DomainError.notFound("The item tagged \(code)")
        }
        return item
    }

    private static func trace(_ item: OrderItem, context: SectorContext, tenantID: UUID, sql: any SQLDatabase) async throws -> ItemTrace {
        let row = try await sql.raw("""
            SELECT o.id, o.number, o.stage, o.promised_at, c.id AS customer_id, c.code AS customer_code, c.name AS customer_name,
                   b.name AS branch_name, u.id AS holder_id, u.name AS holder_name
            FROM order_items i
            JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
            JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
            JOIN branches b ON b.tenant_id = i.tenant_id AND b.id = i.branch_id
            LEFT JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.holder_id
            WHERE i.tenant_id = \(bind: tenantID) AND i.id = \(bind: item.id)
            """).first()!
        let holderID = try row.decode(column: "holder_id", as: UUID?.self)
        return ItemTrace(
            item: item,
            stageName: context.workflow.stage(item.stage)?.name,
            order: .init(
                id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
                stage: try row.decode(column: "stage", as: String.self), promisedAt: try row.decode(column: "promised_at", as: Date.self),
                customerId: try row.decode(column: "customer_id", as: UUID.self),
                customerCode: try row.decode(column: "customer_code", as: String.self),
                customerName: try row.decode(column: "customer_name", as: String.self)
            ),
            branchName: try row.decode(column: "branch_name", as: String.self),
            holder: try holderID.map { ItemTrace.Holder(id: $0, name: try row.decode(column: "holder_name", as: String.self)) },
            allowedStages: context.workflow.next(from: item.stage),
            history: try await OrderRecords.history(itemID: item.id, tenantID: tenantID, sql: sql)
        )
    }

    static func refused(_ item: OrderItem, to stage: String, allowed: [String]) -> DomainError {
        DomainError(
            .transitionNotAllowed,
            allowed.isEmpty
                ? "Item \(item.tag) is \(item.stage); no scan moves it further."
                : "Item \(item.tag) cannot go from \(item.stage) to \(stage); it can go to \(allowed.joined(separator: ", ")).",
            context: ["allowedStages": allowed]
        )
    }
}
