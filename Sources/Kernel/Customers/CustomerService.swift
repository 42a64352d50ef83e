import Contracts
import Foundation
import SQLKit
import Storage

/// Customer cards (F1) and the quick search over them (F2), scoped to the caller's tenant and,
/// for branch-scoped roles, to their branch: a card outside that scope does not exist for them.
public struct CustomerService: Sendable {
    let database: any Database
    let clock: Clock

    /// What a list may be narrowed by.
    public struct Query: Sendable {
        public var text: String?
        public var customerType: String?
        public var branchID: UUID?

        public init(text: String? = nil, customerType: String? = nil, branchID: UUID? = nil) {
            self.text = text
            self.customerType = customerType
            self.branchID = branchID
        }
    }

    public func create(_ draft: CustomerDraft, by principal: Principal) async throws -> Customer {
        try principal.require(.writeCustomers)
        let validated = try CustomerFields(draft)
        let now = clock.now()
        let id = UUID()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            var fields = validated
            try await resolveReferences(&fields, principal: principal, sql: sql)
            let seq = try await Counters.next(sql, tenantID: principal.tenantID, name: "customer")
            let code = Self.code(seq)
            try await CustomerRecords.insert(fields, id: id, seq: seq, code: code, tenantID: principal.tenantID, at: now, sql: sql)
            let customer = try await CustomerRecords.load(id, scope: .init(principal), sql: sql)!
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: customer.branchId, actor: principal.actor, action: "customer.create",
                                      entity: "customer", entityID: id.uuidString, after: customer, at: now)
            return customer
        }
    }

    public func get(_ id: UUID, by principal: Principal) async throws -> Customer {
        try principal.require(.readCustomers)
        guard let customer = try await CustomerRecords.read(id, scope: .init(principal), database: database) else { throw Self.notFound }
        return customer
    }

    /// The cards of `ids` the user may see, by id (the others are left out); at most 1000 ids.
    public func cards(_ ids: [UUID], by principal: Principal) async throws -> [UUID: Customer] {
        try principal.require(.readCustomers)
        var cards: [UUID: Customer] = [:]
        for chunk in stride(from: 0, to: min(ids.count, 1_000), by: 200) {
            for customer in try await CustomerRecords.read(Array(ids[chunk..<min(chunk + 200, ids.count, 1_000)]), scope: .init(principal), database: database) {
                cards[customer.id] = customer
            }
        }
        return cards
    }

    /// Applies `patch`; with `expectedVersion`, only if the card is still at that version.
    public func update(_ id: UUID, _ patch: CustomerPatch, expectedVersion: Int? = nil, by principal: Principal) async throws -> Customer {
        try principal.require(.writeCustomers)
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let scope = RowScope(principal)
            guard let before = try await CustomerRecords.load(id, scope: scope, locking: true, sql: sql) else { throw Self.notFound }
            try Self.check(expectedVersion, against: before)
            var fields = try CustomerFields(patch.applied(to: before))
            try await resolveReferences(&fields, principal: principal, sql: sql)
            try await CustomerRecords.update(fields, of: before, tenantID: principal.tenantID, at: now, sql: sql)
            guard let after = try await CustomerRecords.load(id, scope: RowScope(wholeTenant: principal.tenantID), sql: sql) else { throw Self.notFound }
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: after.branchId, actor: principal.actor, action: "customer.update",
                                      entity: "customer", entityID: id.uuidString, before: before, after: after, at: now)
            return after
        }
    }

    /// Removes the card from lists and look-ups; its history and number stay.
    public func delete(_ id: UUID, expectedVersion: Int? = nil, by principal: Principal) async throws {
        try principal.require(.deleteCustomers)
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            guard let before = try await CustomerRecords.load(id, scope: .init(principal), locking: true, sql: sql) else { throw Self.notFound }
            try Self.check(expectedVersion, against: before)
            try await CustomerRecords.softDelete(before, tenantID: principal.tenantID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: before.branchId, actor: principal.actor, action: "customer.delete",
                                      entity: "customer", entityID: id.uuidString, before: before, at: now)
        }
    }

    public func list(_ query: Query, page: PageRequest, by principal: Principal) async throws -> Page<Customer> {
        try principal.require(.readCustomers)
        let filter = CustomerRecords.ListFilter(
            terms: CustomerSearch.terms(query.text ?? ""),
            customerType: query.customerType,
            branchID: query.branchID
        )
        let rows = try await CustomerRecords.list(scope: .init(principal), filter: filter, page: page, database: database)
        return page.page(rows, position: { $0.seq }, item: { $0.customer })
    }

    /// Fills in and checks the customer type and branch against the tenant's rows.
    private func resolveReferences(_ fields: inout CustomerFields, principal: Principal, sql: any SQLDatabase) async throws {
        var errors = FieldErrors()
        let types = try await CustomerTypeService.all(tenantID: principal.tenantID, sql: sql)
        if let code = fields.customerType {
            if !types.contains(where: { $0.code == code }) {
                errors.add("customerType", .unknownCustomerType,
                           "Unknown customer type '\(code.prefix(40))'; the tenant has \(types.map(\.code).joined(separator: ", ")).")
            }
        } else {
            fields.customerType = types.first?.code
        }
        if let confined = principal.confinedBranch {
            if let asked = fields.branchId, asked != confined {
                errors.add("branchId", .invalidValue, "You can keep customers in your own branch only.")
            }
            fields.branchId = confined
        } else if let branch = fields.branchId {
            let exists = try await sql.raw("SELECT id FROM branches WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: branch)").first()
            if exists == nil { errors.add("branchId", .unknownBranch, "The tenant has no branch \(branch.uuidString).") }
        } else {
            fields.branchId = try await sql.raw("""
                SELECT id FROM branches WHERE tenant_id = \(bind: principal.tenantID) ORDER BY created_at, code LIMIT 1
                """).first(decodingColumn: "id", as: UUID.self)
        }
        try errors.throwIfAny()
    }

    private static func check(_ expectedVersion: Int?, against customer: Customer) throws {
        if let expectedVersion, expectedVersion != customer.version {
            throw DomainError(.preconditionFailed, "The customer changed since you loaded it (version \(customer.version), not \(expectedVersion)); reload and try again.")
        }
    }

    static func code(_ seq: Int) -> String { Counters.code("C", seq, width: 5) }

    static let notFound = DomainError.notFound("The customer")
}
