import Contracts
import Foundation
import SQLKit
import Storage

/// What a message about an order needs to know — the order, and its customer, branch and business
/// — read in one statement for the worker that writes to the customer (no principal: the worker
/// acts for the tenant whose job it runs).
public struct OrderNotice: Sendable, Equatable {
    public let contact: ContactNotice
    public let orderID: UUID
    public let number: String
    public let stage: String
    public let promisedAt: Date
    public let total: Money
    public internal(set) var itemCount: Int
    /// The order's items, when asked for.
    public var items: [Item]

    public struct Item: Sendable, Equatable {
        public let service: String
        public let tag: String
        public let quantity: Int
    }
}

/// Reads `OrderNotice`s.
public struct OrderNotices: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The notice of one order of `tenantID`, with its items when `items`; nil when there is no such order.
    public func notice(orderID: UUID, tenantID: UUID, items: Bool) async throws -> OrderNotice? {
        try await notices(orderIDs: [orderID], tenantID: tenantID, items: items)[orderID]
    }

    /// The notices of many orders of `tenantID` (two statements however many), by order id (the
    /// item count counted from the items when they are read);
    /// orders that do not exist are missing from the answer.
    public func notices(orderIDs: [UUID], tenantID: UUID, items: Bool) async throws -> [UUID: OrderNotice] {
        let ids = Array(Set(orderIDs))
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.rows(.tenant(tenantID), """
            SELECT o.id AS order_id, t.name AS business, t.sector, t.time_zone, t.locale, o.number, o.stage, o.promised_at, o.total,
                   \(unsafeRaw: items ? "0" : "(SELECT COUNT(*) FROM order_items i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id)") AS item_count,
                   c.id AS customer_id, c.name AS customer_name, c.salutation, c.email, c.preferred_channel, c.deleted_at,
                   (SELECT p.number FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id
                    ORDER BY p.position LIMIT 1) AS phone,
                   b.name AS branch_name, b.phone AS branch_phone
            FROM orders o
            JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
            JOIN branches b ON b.tenant_id = o.tenant_id AND b.id = o.branch_id
            JOIN tenants t ON t.id = o.tenant_id
            WHERE o.tenant_id = \(bind: tenantID) AND o.id \(SQLOneOf(ids))
            """)
        var notices: [UUID: OrderNotice] = [:]
        for row in rows {
            let orderID = try row.decode(column: "order_id", as: UUID.self)
            notices[orderID] = OrderNotice(
                contact: try ContactNotice(row: row, tenantID: tenantID, customerID: try row.decode(column: "customer_id", as: UUID.self)),
                orderID: orderID,
                number: try row.decode(column: "number", as: String.self),
                stage: try row.decode(column: "stage", as: String.self),
                promisedAt: try row.decode(column: "promised_at", as: Date.self),
                total: Money(minorUnits: try row.decode(column: "total", as: Int.self)),
                itemCount: try row.decode(column: "item_count", as: Int.self),
                items: []
            )
        }
        guard items, !notices.isEmpty else { return notices }
        let itemRows = try await database.rows(.tenant(tenantID), """
            SELECT order_id, service_name, tag_code, quantity FROM order_items
            WHERE tenant_id = \(bind: tenantID) AND order_id \(SQLOneOf(Array(notices.keys))) ORDER BY order_id, position
            """)
        for row in itemRows {
            let orderID = try row.decode(column: "order_id", as: UUID.self)
            notices[orderID]?.itemCount += 1
            notices[orderID]?.items.append(OrderNotice.Item(service: try row.decode(column: "service_name", as: String.self),
                                                            tag: try row.decode(column: "tag_code", as: String.self),
                                                            quantity: try row.decode(column: "quantity", as: Int.self)))
        }
        return notices
    }
}

/// What a message to a customer needs besides an order: the customer, a branch and the business.
public struct ContactNotice: Sendable, Equatable {
    public let tenantID: UUID
    public let businessName: String
    public let sector: String
    public let timeZone: String
    public let locale: String
    public let customerID: UUID
    public let customerName: String
    public let salutation: Salutation?
    public let phone: String?
    public let email: String?
    public let preferredChannel: ContactChannel
    public let customerDeleted: Bool
    public let branchName: String
    public let branchPhone: String?
}

extension OrderNotices {
    /// The customer, the branch and the business, in one statement; nil when either is missing.
    public func contact(customerID: UUID, branchID: UUID, tenantID: UUID) async throws -> ContactNotice? {
        let rows = try await database.rows(.tenant(tenantID), """
            SELECT t.name AS business, t.sector, t.time_zone, t.locale,
                   c.name AS customer_name, c.salutation, c.email, c.preferred_channel, c.deleted_at,
                   (SELECT p.number FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id
                    ORDER BY p.position LIMIT 1) AS phone,
                   b.name AS branch_name, b.phone AS branch_phone
            FROM customers c
            JOIN branches b ON b.tenant_id = c.tenant_id AND b.id = \(bind: branchID)
            JOIN tenants t ON t.id = c.tenant_id
            WHERE c.tenant_id = \(bind: tenantID) AND c.id = \(bind: customerID)
            """)
        guard let row = rows.first else { return nil }
        return try ContactNotice(row: row, tenantID: tenantID, customerID: customerID)
    }
}

extension ContactNotice {
    /// From a row of the columns both notices select.
    init(row: any SQLRow, tenantID: UUID, customerID: UUID) throws {
        self.init(
            tenantID: tenantID,
            businessName: try row.decode(column: "business", as: String.self),
            sector: try row.decode(column: "sector", as: String.self),
            timeZone: try row.decode(column: "time_zone", as: String.self),
            locale: try row.decode(column: "locale", as: String.self),
            customerID: customerID,
            customerName: try row.decode(column: "customer_name", as: String.self),
            salutation: try row.decode(column: "salutation", as: String?.self).map { try StoredValue.parse(Salutation.self, $0, column: "salutation") },
            phone: try row.decode(column: "phone", as: String?.self),
            email: try row.decode(column: "email", as: String?.self),
            preferredChannel: try StoredValue.parse(ContactChannel.self, try row.decode(column: "preferred_channel", as: String.self), column: "preferred_channel"),
            customerDeleted: try row.decode(column: "deleted_at", as: Date?.self) != nil,
            branchName: try row.decode(column: "branch_name", as: String.self),
            branchPhone: try row.decode(column: "branch_phone", as: String?.self)
        )
    }
}
