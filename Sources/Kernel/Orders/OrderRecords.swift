import Contracts
import Foundation
import SQLKit
import Storage

/// The SQL of orders, their items and item history. Every statement names the tenant.
enum OrderRecords {
    static let orderColumns = """
        o.id, o.seq, o.number, o.customer_id, o.branch_id, o.stage, o.promised_at, o.notes, o.pickup_address, o.delivery_address,
        o.courier_id, o.customer_type, o.discount_bp, o.adjustments, o.version, o.created_by, o.created_at, o.updated_at
        """

    static let itemColumns = """
        i.id, i.order_id, i.position, i.tag_code, i.service_code, i.service_name, i.item_group, i.unit, i.quantity, i.width_cm,
        i.length_cm, i.attributes, i.add_ons, i.note, i.unit_price, i.base, i.gross, i.discount, i.total, i.vat_bp, i.net, i.vat,
        i.stage, i.stage_since, i.branch_id, i.holder_id, i.rework_count
        """

    struct NewOrder {
        let id: UUID
        let seq: Int
        let number: String
        let customerID: UUID
        let branchID: UUID
        let stage: String
        let promisedAt: Date
        let notes: String?
        let pickupAddress: Address?
        let deliveryAddress: Address?
        let courierID: UUID?
        let customerType: String
        let terms: PriceTerms
        let createdBy: UUID
    }

    static func insert(_ order: NewOrder, pricing: OrderPricing.Result, tenantID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        let totals = pricing.totals
        try await sql.raw("""
            INSERT INTO orders (tenant_id, id, seq, number, customer_id, branch_id, stage, promised_at, notes, pickup_address,
                                delivery_address, courier_id, customer_type, discount_bp, adjustments, gross, discount, adjustment_total,
                                total, net, vat, currency, version, created_by, created_at, updated_at)
            VALUES (\(bind: tenantID), \(bind: order.id), \(bind: order.seq), \(bind: order.number), \(bind: order.customerID),
                    \(bind: order.branchID), \(bind: order.stage), \(bind: order.promisedAt), \(bind: order.notes),
                    \(try json(order.pickupAddress)), \(try json(order.deliveryAddress)), \(bind: order.courierID),
                    \(bind: order.customerType), \(bind: order.terms.discountBasisPoints), \(SQLJSON(try StoredJSON.encode(pricing.adjustments))),
                    \(bind: totals.gross.minorUnits), \(bind: totals.discount.minorUnits), \(bind: totals.adjustments.minorUnits),
                    \(bind: totals.total.minorUnits), \(bind: totals.net.minorUnits), \(bind: totals.vat.minorUnits), \(bind: totals.currency),
                    1, \(bind: order.createdBy), \(bind: now), \(bind: now))
            """).run()
    }

    static func insertItem(
        _ line: PricedLine, id: UUID, orderID: UUID, position: Int, tag: String, serviceName: String, stage: String,
        branchID: UUID, holderID: UUID, tenantID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws {
        try await sql.raw("""
            INSERT INTO order_items (tenant_id, id, order_id, position, tag_code, service_code, service_name, item_group, unit, quantity,
                                     width_cm, length_cm, attributes, add_ons, note, unit_price, base, gross, discount, total, vat_bp,
                                     net, vat, stage, stage_since, branch_id, holder_id, rework_count, created_at)
            VALUES (\(bind: tenantID), \(bind: id), \(bind: orderID), \(bind: position), \(bind: tag), \(bind: line.item.code),
                    \(bind: serviceName), \(bind: line.item.group), \(bind: line.item.unit.rawValue), \(bind: line.line.quantity),
                    \(bind: line.line.widthCm), \(bind: line.line.lengthCm), \(SQLJSON(try StoredJSON.encode(line.line.attributes))),
                    \(SQLJSON(try StoredJSON.encode(line.price.addOns))), \(bind: line.line.note), \(bind: line.price.unitPrice.minorUnits),
                    \(bind: line.price.base.minorUnits), \(bind: line.price.gross.minorUnits), \(bind: line.discount.minorUnits),
                    \(bind: line.total.minorUnits), \(bind: line.item.vatRate.basisPoints), \(bind: line.net.minorUnits),
                    \(bind: line.vat.minorUnits), \(bind: stage), \(bind: now), \(bind: branchID), \(bind: holderID), 0, \(bind: now))
            """).run()
    }

    /// Rewrites an item's price (after its measurements changed).
    static func updateItemPrice(_ itemID: UUID, line: PricedLine, tenantID: UUID, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE order_items SET width_cm = \(bind: line.line.widthCm), length_cm = \(bind: line.line.lengthCm),
                unit_price = \(bind: line.price.unitPrice.minorUnits), base = \(bind: line.price.base.minorUnits),
                add_ons = \(SQLJSON(try StoredJSON.encode(line.price.addOns))), gross = \(bind: line.price.gross.minorUnits),
                discount = \(bind: line.discount.minorUnits), total = \(bind: line.total.minorUnits), net = \(bind: line.net.minorUnits),
                vat = \(bind: line.vat.minorUnits)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: itemID)
            """).run()
    }

    /// Recomputes and stores an order's totals and stage from its items; returns the order's new stage.
    /// An order's stage and total before and after `refresh`.
    struct Refresh {
        var stageBefore: String
        var stageAfter: String
        var totalBefore: Money
        var totalAfter: Money
    }

    /// Who and where an order is, as its events name it.
    struct Reference {
        var id: UUID
        var number: String
        var customerID: UUID
        var branchID: UUID
    }

    static func reference(_ orderID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Reference {
        guard let row = try await sql.raw("""
            SELECT number, customer_id, branch_id FROM orders WHERE tenant_id = \(bind: tenantID) AND id = \(bind: orderID)
            """).first() else { throw DomainError.notFound("The order") }
        return Reference(id: orderID, number: try row.decode(column: "number", as: String.self),
                         customerID: try row.decode(column: "customer_id", as: UUID.self), branchID: try row.decode(column: "branch_id", as: UUID.self))
    }

    /// Recomputes the order's stage (its least advanced item) and totals from its items.
    static func refresh(
        _ orderID: UUID, adjustments: [OrderAdjustment]? = nil, workflow: Workflow, tenantID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws -> Refresh {
        guard let row = try await sql.raw("""
            SELECT stage, adjustments, total FROM orders WHERE tenant_id = \(bind: tenantID) AND id = \(bind: orderID)
            """).first() else { throw DomainError.notFound("The order") }
        let before = try row.decode(column: "stage", as: String.self)
        let totalBefore = Money(minorUnits: try row.decode(column: "total", as: Int.self))
        let stored = try StoredJSON.decode([OrderAdjustment].self, from: row.decode(column: "adjustments", as: String.self))
        let items = try await loadItems(orderID: orderID, tenantID: tenantID, sql: sql)
        let active = items.filter { $0.stage != Workflow.cancelled }
        let after = active.min { workflow.rank(of: $0.stage) < workflow.rank(of: $1.stage) }?.stage ?? Workflow.cancelled
        let totals = totals(items: active, adjustments: adjustments ?? stored)
        try await sql.raw("""
            UPDATE orders SET stage = \(bind: after), adjustments = \(SQLJSON(try StoredJSON.encode(adjustments ?? stored))),
                gross = \(bind: totals.gross.minorUnits), discount = \(bind: totals.discount.minorUnits),
                adjustment_total = \(bind: totals.adjustments.minorUnits), total = \(bind: totals.total.minorUnits),
                net = \(bind: totals.net.minorUnits), vat = \(bind: totals.vat.minorUnits), version = version + 1, updated_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: orderID)
            """).run()
        return Refresh(stageBefore: before, stageAfter: after, totalBefore: totalBefore, totalAfter: totals.total)
    }

    /// Totals from stored items (cancelled ones left out) and adjustments.
    static func totals(items: [OrderItem], adjustments: [OrderAdjustment]) -> OrderTotals {
        let counted = items.filter { $0.stage != Workflow.cancelled }.map {
            LineAmounts(gross: $0.gross, discount: $0.discount, total: $0.total, vatRate: $0.vatRate, net: $0.net, vat: $0.vat)
        }
        return OrderPricing.totals(counted, adjustments)
    }

    static func load(_ id: UUID, scope: RowScope, sql: any SQLDatabase) async throws -> Order? {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: orderColumns) FROM orders o WHERE o.tenant_id = \(bind: scope.tenantID) AND o.id = \(bind: id) \(scope.orderFilter)
            """).first() else { return nil }
        let items = try await loadItems(orderID: id, tenantID: scope.tenantID, sql: sql)
        return try order(row, items: items)
    }

    struct ListFilter {
        var customerID: UUID?
        var stage: String?
        var branchID: UUID?
    }

    /// Up to `limit + 1` orders, newest first, after the cursor position.
    static func list(scope: RowScope, filter: ListFilter, page: PageRequest, sql: any SQLDatabase) async throws -> [(order: Order, seq: Int)] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: orderColumns) FROM orders o WHERE o.tenant_id = \(bind: scope.tenantID) \(scope.orderFilter)"
        if let customer = filter.customerID { query = "\(query) AND o.customer_id = \(bind: customer)" }
        if let stage = filter.stage { query = "\(query) AND o.stage = \(bind: stage)" }
        if let branch = filter.branchID { query = "\(query) AND o.branch_id = \(bind: branch)" }
        if let after = page.after { query = "\(query) AND o.seq < \(bind: after)" }
        query = "\(query) ORDER BY o.seq DESC LIMIT \(literal: page.limit + 1)"
        let rows = try await sql.raw(query).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        var itemsByOrder: [UUID: [OrderItem]] = [:]
        for row in try await sql.raw("""
            SELECT \(unsafeRaw: itemColumns) FROM order_items i WHERE i.tenant_id = \(bind: scope.tenantID) AND i.order_id IN (\(binds: ids))
            ORDER BY i.order_id, i.position
            """).all() {
            itemsByOrder[try row.decode(column: "order_id", as: UUID.self), default: []].append(try item(row))
        }
        return try zip(rows, ids).map { row, id in
            (try order(row, items: itemsByOrder[id] ?? []), try row.decode(column: "seq", as: Int.self))
        }
    }

    static func loadItems(orderID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> [OrderItem] {
        try await sql.raw("""
            SELECT \(unsafeRaw: itemColumns) FROM order_items i WHERE i.tenant_id = \(bind: tenantID) AND i.order_id = \(bind: orderID)
            ORDER BY i.position
            """).all().map(item)
    }

    /// The item with this tag and its order's id, if the scope reaches it.
    static func item(tag: String, scope: RowScope, sql: any SQLDatabase) async throws -> OrderItem? {
        try await sql.raw("""
            SELECT \(unsafeRaw: itemColumns) FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
            WHERE i.tenant_id = \(bind: scope.tenantID) AND i.tag_code = \(bind: tag) \(scope.itemFilter)
            """).first().map(item)
    }

    /// Locks the order's row until the transaction ends, so that a read, decide and write on the
    /// order or its items is never interleaved with another's (`FOR UPDATE` on PostgreSQL, which
    /// runs READ COMMITTED; SQLite's single writer already serialises write transactions).
    /// Read the rows you decide on after this call, not before.
    static func lock(_ orderID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws {
        _ = try await sql.raw("""
            SELECT id FROM orders WHERE tenant_id = \(bind: tenantID) AND id = \(bind: orderID) \(SQLLockingClause.update)
            """).first()
    }

    static func orderID(ofItem itemID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> UUID {
        try await sql.raw("SELECT order_id FROM order_items WHERE tenant_id = \(bind: tenantID) AND id = \(bind: itemID)")
            .first(decodingColumn: "order_id", as: UUID.self)!
    }

    static func moveItem(
        _ item: OrderItem, orderID: UUID, to stage: String, kind: ItemEvent.Kind, reason: String?, principal: Principal,
        branchID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws {
        try await sql.raw("""
            UPDATE order_items SET stage = \(bind: stage), stage_since = \(bind: now), branch_id = \(bind: branchID),
                holder_id = \(bind: principal.userID), rework_count = rework_count + \(bind: kind == .rework ? 1 : 0)
            WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: item.id)
            """).run()
        try await recordEvent(itemID: item.id, orderID: orderID, kind: kind, from: item.stage, to: stage, reason: reason,
                              userID: principal.userID, branchID: branchID, tenantID: principal.tenantID, at: now, sql: sql)
    }

    static func recordEvent(
        itemID: UUID, orderID: UUID, kind: ItemEvent.Kind, from: String?, to: String, reason: String?, userID: UUID?, branchID: UUID?,
        tenantID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws {
        try await sql.raw("""
            INSERT INTO item_events (tenant_id, id, item_id, order_id, ordinal, kind, from_stage, to_stage, reason, user_id, branch_id, at)
            SELECT \(bind: tenantID), \(bind: UUID()), \(bind: itemID), \(bind: orderID), COALESCE(MAX(ordinal), 0) + 1, \(bind: kind.rawValue),
                   \(bind: from), \(bind: to), \(bind: reason), \(bind: userID), \(bind: branchID), \(bind: now)
            FROM item_events WHERE tenant_id = \(bind: tenantID) AND item_id = \(bind: itemID)
            """).run()
    }

    static func history(itemID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> [ItemEvent] {
        try await sql.raw("""
            SELECT kind, from_stage, to_stage, reason, user_id, branch_id, at FROM item_events
            WHERE tenant_id = \(bind: tenantID) AND item_id = \(bind: itemID) ORDER BY ordinal
            """).all().map { row in
                ItemEvent(
                    kind: try StoredValue.parse(ItemEvent.Kind.self, try row.decode(column: "kind", as: String.self), column: "item_events.kind"),
                    fromStage: try row.decode(column: "from_stage", as: String?.self),
                    toStage: try row.decode(column: "to_stage", as: String.self),
                    reason: try row.decode(column: "reason", as: String?.self),
                    userId: try row.decode(column: "user_id", as: UUID?.self),
                    branchId: try row.decode(column: "branch_id", as: UUID?.self),
                    at: try row.decode(column: "at", as: Date.self)
                )
            }
    }

    // MARK: - Rows

    private static func json(_ address: Address?) throws -> any SQLExpression {
        try address.map { SQLJSON(try StoredJSON.encode($0)) } ?? SQLLiteral.null
    }

    private static func order(_ row: any SQLRow, items: [OrderItem]) throws -> Order {
        let adjustments = try StoredJSON.decode([OrderAdjustment].self, from: row.decode(column: "adjustments", as: String.self))
        return Order(
            id: try row.decode(column: "id", as: UUID.self),
            number: try row.decode(column: "number", as: String.self),
            customerId: try row.decode(column: "customer_id", as: UUID.self),
            branchId: try row.decode(column: "branch_id", as: UUID.self),
            stage: try row.decode(column: "stage", as: String.self),
            promisedAt: try row.decode(column: "promised_at", as: Date.self),
            notes: try row.decode(column: "notes", as: String?.self),
            pickupAddress: try row.decode(column: "pickup_address", as: String?.self).map { try StoredJSON.decode(Address.self, from: $0) },
            deliveryAddress: try row.decode(column: "delivery_address", as: String?.self).map { try StoredJSON.decode(Address.self, from: $0) },
            courierId: try row.decode(column: "courier_id", as: UUID?.self),
            customerType: try row.decode(column: "customer_type", as: String.self),
            discountBasisPoints: try row.decode(column: "discount_bp", as: Int.self),
            items: items,
            adjustments: adjustments,
            totals: totals(items: items, adjustments: adjustments),
            version: try row.decode(column: "version", as: Int.self),
            createdBy: try row.decode(column: "created_by", as: UUID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }

    private static func item(_ row: any SQLRow) throws -> OrderItem {
        OrderItem(
            id: try row.decode(column: "id", as: UUID.self),
            position: try row.decode(column: "position", as: Int.self),
            tag: try row.decode(column: "tag_code", as: String.self),
            service: try row.decode(column: "service_code", as: String.self),
            serviceName: try row.decode(column: "service_name", as: String.self),
            group: try row.decode(column: "item_group", as: String?.self),
            unit: try StoredValue.parse(PricingUnit.self, try row.decode(column: "unit", as: String.self), column: "order_items.unit"),
            quantity: try row.decode(column: "quantity", as: Int.self),
            widthCm: try row.decode(column: "width_cm", as: Int?.self),
            lengthCm: try row.decode(column: "length_cm", as: Int?.self),
            attributes: try StoredJSON.decode([String: String].self, from: row.decode(column: "attributes", as: String.self)),
            addOns: try StoredJSON.decode([PricePart].self, from: row.decode(column: "add_ons", as: String.self)),
            note: try row.decode(column: "note", as: String?.self),
            unitPrice: Money(minorUnits: try row.decode(column: "unit_price", as: Int.self)),
            base: Money(minorUnits: try row.decode(column: "base", as: Int.self)),
            gross: Money(minorUnits: try row.decode(column: "gross", as: Int.self)),
            discount: Money(minorUnits: try row.decode(column: "discount", as: Int.self)),
            total: Money(minorUnits: try row.decode(column: "total", as: Int.self)),
            vatRate: VATRate(basisPoints: try row.decode(column: "vat_bp", as: Int.self)),
            net: Money(minorUnits: try row.decode(column: "net", as: Int.self)),
            vat: Money(minorUnits: try row.decode(column: "vat", as: Int.self)),
            stage: try row.decode(column: "stage", as: String.self),
            stageSince: try row.decode(column: "stage_since", as: Date.self),
            branchId: try row.decode(column: "branch_id", as: UUID.self),
            holderId: try row.decode(column: "holder_id", as: UUID?.self),
            reworkCount: try row.decode(column: "rework_count", as: Int.self)
        )
    }
}

extension RowScope {
    /// `AND o.branch_id = …` for branch-scoped roles, and `AND o.courier_id = …` for couriers
    /// (orders aliased `o`).
    var orderFilter: SQLQueryString {
        var filter: SQLQueryString = ""
        if let branchID { filter = "AND o.branch_id = \(bind: branchID)" }
        if let courierID { filter = "\(filter) AND o.courier_id = \(bind: courierID)" }
        return filter
    }

    /// An item is reachable from its order's branch and from the branch it is at now; a courier
    /// reaches the items of the orders on its runs.
    var itemFilter: SQLQueryString {
        var filter: SQLQueryString = ""
        if let branchID { filter = "AND (o.branch_id = \(bind: branchID) OR i.branch_id = \(bind: branchID))" }
        if let courierID { filter = "\(filter) AND o.courier_id = \(bind: courierID)" }
        return filter
    }
}
