import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Payment terms by customer type and per customer, and the tax identity invoices are made out to.
public struct TermsService: Sendable {
    let database: any Database
    let customers: CustomerService
    let customerTypes: CustomerTypeService
    let clock: KernelClock

    static let maximumDueDays = 365
    static let maximumText = 200

    public func profile(customerID: UUID, by principal: Principal) async throws -> AccountProfile {
        let customer = try await customers.get(customerID, by: principal)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            let row = try await TermsStore.profile(customerID: customerID, tenantID: principal.tenantID, sql: sql)
            let terms = try await TermsStore.resolve(row, customerType: customer.customerType, tenantID: principal.tenantID, sql: sql)
            return AccountProfile(customerId: customerID, terms: terms, tax: row?.tax ?? TaxIdentity(taxNumber: nil, taxOffice: nil, legalName: nil),
                                  version: row?.version ?? 0)
        }
    }

    /// Changes a customer's terms or tax identity. `expectedVersion` (from `If-Match`) refuses the
    /// change when someone changed the profile since it was read.
    public func update(customerID: UUID, _ patch: AccountProfilePatch, expectedVersion: Int? = nil, by principal: Principal) async throws -> AccountProfile {
        try AccountService.requireAccountant(principal)
        let customer = try await customers.get(customerID, by: principal)
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            let current = try await TermsStore.profile(customerID: customerID, tenantID: principal.tenantID, sql: sql)
            if let expectedVersion, expectedVersion != (current?.version ?? 0) {
                throw DomainError(.preconditionFailed, "The account profile changed since it was read; read it again and retry.")
            }
            let next = try Self.applied(patch, to: current)
            try await TermsStore.saveProfile(next, customerID: customerID, tenantID: principal.tenantID, version: current?.version,
                                             by: principal.userID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: customer.branchId, actor: principal.actor,
                                      action: "account.profile", entity: "customer", entityID: customerID.uuidString,
                                      before: current.map(Self.audited), after: Self.audited(next), at: now)
        }
        return try await profile(customerID: customerID, by: principal)
    }

    /// The customer's tax identity as `sql` (a caller's transaction) sees it; nil when none was given.
    public static func taxIdentity(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> TaxIdentity? {
        try await TermsStore.profile(customerID: customerID, tenantID: tenantID, sql: sql)?.tax
    }

    public func typeTerms(by principal: Principal) async throws -> [TypeTerms] {
        try await database.read(.tenant(principal.tenantID)) { sql in
            try await TermsStore.typeTerms(tenantID: principal.tenantID, sql: sql)
        }
    }

    /// Sets the terms of every customer of one type (those with their own terms keep them).
    public func setTypeTerms(_ input: TypeTermsInput, customerType: String, by principal: Principal) async throws -> TypeTerms {
        try principal.require(oneOf: [.owner, .accountant], to: "set a customer type's terms")
        guard try await customerTypes.list(principal).contains(where: { $0.code == customerType }) else {
            throw DomainError(.unknownCustomerType, "There is no customer type \(customerType).")
        }
        var errors = FieldErrors()
        let kind = Self.kind(input.terms, errors: &errors)
        let dueDays = Self.dueDays(input.dueDays, kind: kind, errors: &errors)
        Self.checkLimit(input.creditLimit, errors: &errors)
        try errors.throwIfAny()
        let terms = TypeTerms(customerType: customerType, terms: kind ?? .cash, dueDays: dueDays, creditLimit: input.creditLimit)
        let now = clock.now()
        try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await TermsStore.saveTypeTerms(terms, tenantID: principal.tenantID, by: principal.userID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "account.type_terms",
                                      entity: "customer_type", entityID: customerType, after: terms, at: now)
        }
        return terms
    }

    static func applied(_ patch: AccountProfilePatch, to current: TermsStore.ProfileRow?) throws -> TermsStore.ProfileRow {
        var errors = FieldErrors()
        var kind = current?.terms
        switch patch.terms {
        case .absent: break
        case .null: kind = nil
        case .value(let text): kind = Self.kind(text, errors: &errors)
        }
        var dueDays = patch.dueDays.applied(to: current?.dueDays)
        if kind != nil || dueDays != nil { dueDays = Self.dueDays(dueDays, kind: kind, errors: &errors) }
        let limit = patch.creditLimit.applied(to: current?.creditLimit)
        checkLimit(limit, errors: &errors)
        let collateral = errors.optionalText("collateral", patch.collateral.applied(to: current?.collateral), maximum: maximumText)
        let taxNumber = patch.taxNumber.applied(to: current?.tax.taxNumber)
        if let taxNumber { TaxNumber.validate(taxNumber, field: "taxNumber", errors: &errors) }
        let taxOffice = errors.optionalText("taxOffice", patch.taxOffice.applied(to: current?.tax.taxOffice), maximum: 100)
        let legalName = errors.optionalText("legalName", patch.legalName.applied(to: current?.tax.legalName), maximum: maximumText)
        try errors.throwIfAny()
        return TermsStore.ProfileRow(terms: kind, dueDays: kind == nil ? nil : dueDays, creditLimit: limit, collateral: collateral,
                                     tax: TaxIdentity(taxNumber: taxNumber, taxOffice: taxOffice, legalName: legalName),
                                     version: current?.version ?? 0)
    }

    static func kind(_ text: String?, errors: inout FieldErrors) -> PaymentTerms.Kind? {
        guard let text else {
            errors.add("terms", .missingField, "terms is required: cash or open.")
            return nil
        }
        guard let kind = PaymentTerms.Kind(rawValue: text) else {
            errors.add("terms", .invalidValue, "terms must be cash or open.")
            return nil
        }
        return kind
    }

    static func dueDays(_ days: Int?, kind: PaymentTerms.Kind?, errors: inout FieldErrors) -> Int {
        let days = days ?? (kind == .open ? 30 : 0)
        if !(0...maximumDueDays).contains(days) { errors.add("dueDays", .invalidValue, "dueDays must be between 0 and \(maximumDueDays).") }
        return days
    }

    static func checkLimit(_ limit: Money?, errors: inout FieldErrors) {
        guard let limit else { return }
        if limit.minorUnits < 0 || limit > Money.maximum {
            errors.add("creditLimit", .invalidValue, "creditLimit must be between 0 and \(Money.maximum.minorUnits) kuruş.")
        }
    }

    struct Audited: Encodable {
        let terms: String?
        let dueDays: Int?
        let creditLimit: Money?
        let collateral: String?
        let taxNumber: String?
        let taxOffice: String?
        let legalName: String?
    }

    static func audited(_ row: TermsStore.ProfileRow) -> Audited {
        Audited(terms: row.terms?.rawValue, dueDays: row.dueDays, creditLimit: row.creditLimit, collateral: row.collateral,
                taxNumber: row.tax.taxNumber, taxOffice: row.tax.taxOffice, legalName: row.tax.legalName)
    }
}

/// The terms of a customer type as the owner sets them.
public struct TypeTermsInput: Sendable, Decodable {
    public var terms: String?
    public var dueDays: Int?
    public var creditLimit: Money?

    public init(terms: String?, dueDays: Int? = nil, creditLimit: Money? = nil) {
        self.terms = terms
        self.dueDays = dueDays
        self.creditLimit = creditLimit
    }
}
