import Contracts
import Foundation
import SQLKit
import Storage

/// Taking orders in the sector's terms and pricing them (F4, F5).
public struct OrderService: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let clock: Clock
    let events: EventBus

    public struct Query: Sendable {
        public var customerID: UUID?
        public var stage: String?
        public var branchID: UUID?

        public init(customerID: UUID? = nil, stage: String? = nil, branchID: UUID? = nil) {
            self.customerID = customerID
            self.stage = stage
            self.branchID = branchID
        }
    }

    /// What an order would cost, without taking it.
    public func quote(_ draft: OrderDraft, by principal: Principal) async throws -> Quote {
        try principal.require(.writeOrders)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let (_, customer) = try await Self.checkCustomer(draft, principal: principal, sql: sql)
            let context = try await SectorContext.load(principal, registry: registry, sql: sql)
            let type = try await Self.customerType(customer.customerType, tenantID: principal.tenantID, sql: sql)
            let priced = try context.pricing(type.terms).price(draft.items ?? [])
            let locale = try await Self.locale(principal.tenantID, sql: sql)
            return Quote(
                customerType: type.code, discountBasisPoints: type.discountBasisPoints,
                items: priced.lines.map { line in
                    Quote.Line(
                        service: line.item.code, serviceName: line.item.name.text(for: locale), quantity: line.line.quantity,
                        widthCm: line.line.widthCm, lengthCm: line.line.lengthCm, attributes: line.line.attributes,
                        unitPrice: line.price.unitPrice, base: line.price.base, addOns: line.price.addOns, gross: line.price.gross,
                        discount: line.discount, total: line.total, vatRate: line.item.vatRate, net: line.net, vat: line.vat
                    )
                },
                adjustments: priced.adjustments, totals: priced.totals
            )
        }
    }

    public func create(_ draft: OrderDraft, by principal: Principal) async throws -> Order {
        try principal.require(.writeOrders)
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let (fields, customer) = try await Self.checkCustomer(draft, principal: principal, locking: true, sql: sql)
            let context = try await SectorContext.load(principal, registry: registry, sql: sql)
            let type = try await Self.customerType(customer.customerType, tenantID: principal.tenantID, sql: sql)
            let priced = try context.pricing(type.terms).price(draft.items ?? [])
            let branchID = try await Self.branch(for: draft, customer: customer, principal: principal, sql: sql)
            if let courier = fields.courierID { try await Self.checkCourier(courier, tenantID: principal.tenantID, sql: sql) }
            let workflow = context.workflow
            let seq = try await Counters.next(sql, tenantID: principal.tenantID, name: "order")
            let order = OrderRecords.NewOrder(
                id: UUID(), seq: seq, number: Self.number(seq), customerID: customer.id, branchID: branchID,
                stage: workflow.initialStage,
                promisedAt: draft.promisedAt ?? now.addingTimeInterval(TimeInterval(workflow.turnaroundHours * 3600)),
                notes: fields.notes, pickupAddress: fields.pickupAddress, deliveryAddress: fields.deliveryAddress,
                courierID: fields.courierID, customerType: type.code, terms: type.terms, createdBy: principal.userID
            )
            try await OrderRecords.insert(order, pricing: priced, tenantID: principal.tenantID, at: now, sql: sql)
            let locale = try await Self.locale(principal.tenantID, sql: sql)
            for (position, line) in priced.lines.enumerated() {
                let tagNumber = try await Counters.next(sql, tenantID: principal.tenantID, name: "tag")
                let itemID = UUID()
                try await OrderRecords.insertItem(
                    line, id: itemID, orderID: order.id, position: position + 1,
                    tag: TagCode.make(prefix: context.module.tagFormat.prefix, number: tagNumber),
                    serviceName: line.item.name.text(for: locale), stage: workflow.initialStage, branchID: branchID,
                    holderID: principal.userID, tenantID: principal.tenantID, at: now, sql: sql
                )
                try await OrderRecords.recordEvent(
                    itemID: itemID, orderID: order.id, kind: .intake, from: nil, to: workflow.initialStage, reason: nil,
                    userID: principal.userID, branchID: branchID, tenantID: principal.tenantID, at: now, sql: sql
                )
            }
            let created = try await OrderRecords.load(order.id, scope: .init(wholeTenant: principal.tenantID), sql: sql)!
            let reference = OrderRecords.Reference(id: order.id, number: order.number, customerID: order.customerID, branchID: branchID)
            try await events.publish([
                OrderEvents(tenantID: principal.tenantID, order: reference, at: now)
                    .event(.created(stage: workflow.initialStage, total: created.totals.total))
            ], sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: created.branchId, actor: principal.actor, action: "order.create",
                                      entity: "order", entityID: order.id.uuidString, after: created, at: now)
            return created
        }
    }

    public func get(_ id: UUID, by principal: Principal) async throws -> Order {
        try principal.require(.readOrders)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            guard let order = try await OrderRecords.load(id, scope: .init(principal), sql: sql) else { throw Self.notFound }
            return order
        }
    }

    public func list(_ query: Query, page: PageRequest, by principal: Principal) async throws -> Page<Order> {
        try principal.require(.readOrders)
        if let stage = query.stage {
            var errors = FieldErrors()
            guard errors.plainText("stage", stage, maximum: 40) else {
                throw DomainError.invalid("stage", .invalidParameter, errors.all.first?.message ?? "stage is not valid.")
            }
        }
        let filter = OrderRecords.ListFilter(customerID: query.customerID, stage: query.stage, branchID: query.branchID)
        let rows = try await database.read(.tenant(principal.tenantID)) { sql in
            try await OrderRecords.list(scope: .init(principal), filter: filter, page: page, sql: sql)
        }
        return page.page(rows, position: { $0.seq }, item: { $0.order })
    }

    /// Cancels every item of the order; refused (409) if any item is past cancelling.
    public func cancel(_ id: UUID, reason: String?, by principal: Principal) async throws -> Order {
        try principal.require(.writeOrders)
        let reason = try Self.reason(reason)
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await OrderRecords.lock(id, tenantID: principal.tenantID, sql: sql)
            let now = clock.now()
            guard let before = try await OrderRecords.load(id, scope: .init(principal), sql: sql) else { throw Self.notFound }
            let context = try await SectorContext.load(principal, registry: registry, sql: sql)
            let workflow = context.workflow
            let open = before.items.filter { $0.stage != Workflow.cancelled }
            let stuck = open.filter { !workflow.cancellableStages.contains($0.stage) }
            guard stuck.isEmpty else {
                throw DomainError(.transitionNotAllowed,
                                  "Items \(stuck.map(\.tag).joined(separator: ", ")) are past cancelling; return or re-work them instead.",
                                  context: ["cancellableStages": workflow.cancellableStages.sorted()])
            }
            for item in open {
                try await OrderRecords.moveItem(item, orderID: id, to: Workflow.cancelled, kind: .cancel, reason: reason, principal: principal,
                                                branchID: item.branchId, at: now, sql: sql)
            }
            let refresh = try await OrderRecords.refresh(id, adjustments: [], workflow: workflow, tenantID: principal.tenantID, at: now, sql: sql)
            let after = try await OrderRecords.load(id, scope: .init(wholeTenant: principal.tenantID), sql: sql)!
            let events = OrderEvents(tenantID: principal.tenantID, order: try await OrderRecords.reference(id, tenantID: principal.tenantID, sql: sql), at: now)
            try await self.events.publish(
                open.map { events.event(.itemMoved(itemId: $0.id, tag: $0.tag, from: $0.stage, to: Workflow.cancelled, kind: .cancel, reason: reason)) }
                    + events.afterChange(refresh, workflow: workflow, reason: reason),
                sql: sql
            )
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: after.branchId, actor: principal.actor, action: "order.cancel",
                                      entity: "order", entityID: id.uuidString, before: before, after: after, at: now)
            return after
        }
    }

    /// Corrects the measured size of an item priced per m² (measured again once the work is done);
    /// the line and the order's totals follow.
    public func correctMeasurements(orderID: UUID, itemID: UUID, widthCm: Int?, lengthCm: Int?, reason: String?, by principal: Principal) async throws -> Order {
        try principal.require(.writeOrders)
        var errors = FieldErrors()
        let reason = errors.optionalText("reason", reason, maximum: 500)
        try errors.throwIfAny()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await OrderRecords.lock(orderID, tenantID: principal.tenantID, sql: sql)
            let now = clock.now()
            guard let before = try await OrderRecords.load(orderID, scope: .init(principal), sql: sql) else { throw Self.notFound }
            guard let item = before.items.first(where: { $0.id == itemID }) else { throw DomainError.notFound("The item") }
            let context = try await SectorContext.load(principal, registry: registry, sql: sql)
            let workflow = context.workflow
            guard item.unit == .squareMetre else {
                throw DomainError(.invalidValue, "Item \(item.tag) is not priced by area; only its quantity was agreed.")
            }
            guard item.stage != Workflow.cancelled, workflow.rank(of: item.stage) < workflow.rank(of: workflow.deliveredStage) else {
                throw DomainError(.transitionNotAllowed, "Item \(item.tag) is \(item.stage); its size can no longer change.")
            }
            let line = LineRequest(service: item.service, quantity: item.quantity, widthCm: widthCm, lengthCm: lengthCm,
                                   attributes: item.attributes, addOns: item.addOns.map(\.code), note: item.note)
            // The price per m² agreed at intake stays; only the area changes.
            var catalogItem = context.catalog[item.service]?.item
                ?? CatalogItem(code: item.service, name: LocalizedText(tr: item.serviceName, en: item.serviceName), unit: item.unit, price: item.unitPrice)
            catalogItem.price = item.unitPrice
            catalogItem.variantPrices = [:]
            catalogItem.unit = item.unit
            catalogItem.vatRate = item.vatRate
            let addOns = line.addOns.compactMap { context.catalog[$0]?.item }
            let pricing = OrderPricing(module: context.module, catalog: context.catalog,
                                       terms: PriceTerms(discountBasisPoints: before.discountBasisPoints), settings: context.settings)
            // The module's own checks, as at intake; too large an amount is refused, not stored.
            let priced = try pricing.reprice(line, item: catalogItem, addOns: addOns)
            try pricing.checkOrder(before.items, replacing: itemID, with: priced)
            try await OrderRecords.updateItemPrice(itemID, line: priced, tenantID: principal.tenantID, sql: sql)
            let items = try await OrderRecords.loadItems(orderID: orderID, tenantID: principal.tenantID, sql: sql)
            let refresh = try await OrderRecords.refresh(orderID, adjustments: context.adjustments(for: items), workflow: workflow,
                                                         tenantID: principal.tenantID, at: now, sql: sql)
            let events = OrderEvents(tenantID: principal.tenantID, order: try await OrderRecords.reference(orderID, tenantID: principal.tenantID, sql: sql), at: now)
            try await self.events.publish(
                [events.event(.measurementCorrected(itemId: item.id, tag: item.tag, from: .init(widthCm: item.widthCm, lengthCm: item.lengthCm),
                                                    to: .init(widthCm: line.widthCm, lengthCm: line.lengthCm)))]
                    + events.afterChange(refresh, workflow: workflow),
                sql: sql
            )
            let change = "\(item.widthCm ?? 0)×\(item.lengthCm ?? 0) cm → \(widthCm ?? 0)×\(lengthCm ?? 0) cm"
            try await OrderRecords.recordEvent(
                itemID: itemID, orderID: orderID, kind: .measurement, from: item.stage, to: item.stage,
                reason: [change, reason].compactMap { $0 }.joined(separator: "; "), userID: principal.userID,
                branchID: principal.confinedBranch ?? item.branchId, tenantID: principal.tenantID, at: now, sql: sql
            )
            let after = try await OrderRecords.load(orderID, scope: .init(wholeTenant: principal.tenantID), sql: sql)!
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: after.branchId, actor: principal.actor, action: "order.measurement",
                                      entity: "order", entityID: orderID.uuidString, before: before, after: after, at: now)
            return after
        }
    }

    // MARK: - Checks

    struct CheckedFields {
        var notes: String?
        var pickupAddress: Address?
        var deliveryAddress: Address?
        var courierID: UUID?
    }

    /// Validates the order's own fields and finds its customer in the caller's reach.
    /// With `locking` (taking the order), the card stays locked until the order is in, so that a
    /// delete cannot commit between this check and the insert.
    static func checkCustomer(_ draft: OrderDraft, principal: Principal, locking: Bool = false, sql: any SQLDatabase) async throws -> (CheckedFields, Customer) {
        var errors = FieldErrors()
        let notes = errors.optionalText("notes", draft.notes, maximum: 2000, multiline: true)
        func address(_ field: String, _ address: Address?) -> Address? {
            address.map {
                Address(city: errors.optionalText("\(field).city", $0.city, maximum: 80),
                        district: errors.optionalText("\(field).district", $0.district, maximum: 80),
                        neighbourhood: errors.optionalText("\(field).neighbourhood", $0.neighbourhood, maximum: 80),
                        line: errors.optionalText("\(field).line", $0.line, maximum: 300),
                        postalCode: errors.optionalText("\(field).postalCode", $0.postalCode, maximum: 10))
            }
        }
        let fields = CheckedFields(notes: notes, pickupAddress: address("pickupAddress", draft.pickupAddress),
                                   deliveryAddress: address("deliveryAddress", draft.deliveryAddress), courierID: draft.courierId)
        guard let customerID = draft.customerId else {
            errors.add("customerId", .missingField, "customerId is required.")
            try errors.throwIfAny()
            throw DomainError(.missingField, "customerId is required.")
        }
        try errors.throwIfAny()
        guard let customer = try await CustomerRecords.load(customerID, scope: .init(principal), locking: locking, sql: sql) else {
            throw DomainError.invalid("customerId", .unknownCustomer, "There is no customer \(customerID.uuidString) in your reach.")
        }
        return (fields, customer)
    }

    static func customerType(_ code: String, tenantID: UUID, sql: any SQLDatabase) async throws -> CustomerType {
        let types = try await CustomerTypeService.all(tenantID: tenantID, sql: sql)
        return types.first { $0.code == code } ?? CustomerType(code: code, name: code, position: 0)
    }

    static func branch(for draft: OrderDraft, customer: Customer, principal: Principal, sql: any SQLDatabase) async throws -> UUID {
        if let confined = principal.confinedBranch {
            if let asked = draft.branchId, asked != confined {
                throw DomainError.invalid("branchId", .invalidValue, "You take orders at your own branch only.")
            }
            return confined
        }
        guard let asked = draft.branchId else { return customer.branchId }
        try await BranchService.requireExists(asked, tenantID: principal.tenantID, sql: sql)
        return asked
    }

    static func checkCourier(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws {
        let role = try await sql.raw("""
            SELECT role FROM users WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) AND status = 'active'
            """).first(decodingColumn: "role", as: String.self)
        guard role == Role.courier.rawValue else {
            throw DomainError.invalid("courierId", .invalidValue, "\(id.uuidString) is not an active courier of this business.")
        }
    }

    static func locale(_ tenantID: UUID, sql: any SQLDatabase) async throws -> String {
        try await sql.raw("SELECT locale FROM tenants WHERE id = \(bind: tenantID)").first(decodingColumn: "locale", as: String.self) ?? "tr"
    }

    static func reason(_ text: String?) throws -> String {
        var errors = FieldErrors()
        let reason = errors.requiredText("reason", text, maximum: 500)
        try errors.throwIfAny()
        return reason!
    }

    static func number(_ seq: Int) -> String { Counters.code("S", seq, width: 6) }

    static let notFound = DomainError.notFound("The order")
}
