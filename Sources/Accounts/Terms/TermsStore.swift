import Contracts
import Foundation
import SQLKit
import Storage

/// The SQL of payment terms and tax identities.
enum TermsStore {
    struct ProfileRow {
        var terms: PaymentTerms.Kind?
        var dueDays: Int?
        var creditLimit: Money?
        var collateral: String?
        var tax: TaxIdentity
        var version: Int
    }

    static func profile(customerID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> ProfileRow? {
        guard let row = try await sql.raw("""
            SELECT terms, due_days, credit_limit, collateral, tax_number, tax_office, legal_name, version FROM account_profiles
            WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID)
            """).first() else { return nil }
        return ProfileRow(
            terms: try row.decode(column: "terms", as: String?.self).flatMap(PaymentTerms.Kind.init(rawValue:)),
            dueDays: try row.decode(column: "due_days", as: Int?.self),
            creditLimit: try row.decode(column: "credit_limit", as: Int?.self).map(Money.init(minorUnits:)),
            collateral: try row.decode(column: "collateral", as: String?.self),
            tax: TaxIdentity(taxNumber: try row.decode(column: "tax_number", as: String?.self),
                             taxOffice: try row.decode(column: "tax_office", as: String?.self),
                             legalName: try row.decode(column: "legal_name", as: String?.self)),
            version: try row.decode(column: "version", as: Int.self))
    }

    static func typeTerms(tenantID: UUID, type: String? = nil, sql: any SQLDatabase) async throws -> [TypeTerms] {
        let only: any SQLExpression = type.map { SQLQueryString("AND customer_type = \(bind: $0)") } ?? SQLRaw("")
        return try await sql.raw("""
            SELECT customer_type, terms, due_days, credit_limit FROM account_type_terms
            WHERE tenant_id = \(bind: tenantID) \(only) ORDER BY customer_type
            """).all().map { row in
            TypeTerms(customerType: try row.decode(column: "customer_type", as: String.self),
                      terms: PaymentTerms.Kind(rawValue: try row.decode(column: "terms", as: String.self)) ?? .cash,
                      dueDays: try row.decode(column: "due_days", as: Int.self),
                      creditLimit: try row.decode(column: "credit_limit", as: Int?.self).map(Money.init(minorUnits:)))
        }
    }

    /// The terms that hold for a customer of `customerType`: their own, else their type's, else cash on delivery.
    static func terms(customerID: UUID, customerType: String, tenantID: UUID, sql: any SQLDatabase) async throws -> PaymentTerms {
        let profile = try await profile(customerID: customerID, tenantID: tenantID, sql: sql)
        return try await resolve(profile, customerType: customerType, tenantID: tenantID, sql: sql)
    }

    static func resolve(_ profile: ProfileRow?, customerType: String, tenantID: UUID, sql: any SQLDatabase) async throws -> PaymentTerms {
        if let profile, let kind = profile.terms {
            return PaymentTerms(kind: kind, dueDays: profile.dueDays ?? 0, creditLimit: profile.creditLimit, collateral: profile.collateral,
                                source: "customer")
        }
        if let type = try await typeTerms(tenantID: tenantID, type: customerType, sql: sql).first {
            return PaymentTerms(kind: type.terms, dueDays: type.dueDays, creditLimit: type.creditLimit, collateral: profile?.collateral,
                                source: "customer_type")
        }
        return PaymentTerms(kind: .cash, dueDays: 0, creditLimit: nil, collateral: profile?.collateral, source: "default")
    }

    /// Writes the profile: updates the row of `version` when there is one (refusing when it changed
    /// meanwhile), inserts it when there is none.
    static func saveProfile(_ row: ProfileRow, customerID: UUID, tenantID: UUID, version: Int?, by userID: UUID, at now: Date,
                            sql: any SQLDatabase) async throws {
        if let version {
            let updated = try await sql.raw("""
                UPDATE account_profiles SET terms = \(bind: row.terms?.rawValue), due_days = \(bind: row.dueDays),
                    credit_limit = \(bind: row.creditLimit?.minorUnits), collateral = \(bind: row.collateral),
                    tax_number = \(bind: row.tax.taxNumber), tax_office = \(bind: row.tax.taxOffice), legal_name = \(bind: row.tax.legalName),
                    version = version + 1, updated_by = \(bind: userID), updated_at = \(bind: now)
                WHERE tenant_id = \(bind: tenantID) AND customer_id = \(bind: customerID) AND version = \(bind: version)
                RETURNING version
                """).first()
            guard updated != nil else {
                throw DomainError(.preconditionFailed, "The account profile changed since it was read; read it again and retry.")
            }
            return
        }
        try await sql.raw("""
            INSERT INTO account_profiles (tenant_id, customer_id, terms, due_days, credit_limit, collateral, tax_number, tax_office,
                                          legal_name, version, updated_by, updated_at)
            VALUES (\(bind: tenantID), \(bind: customerID), \(bind: row.terms?.rawValue), \(bind: row.dueDays), \(bind: row.creditLimit?.minorUnits),
                    \(bind: row.collateral), \(bind: row.tax.taxNumber), \(bind: row.tax.taxOffice), \(bind: row.tax.legalName), 1,
                    \(bind: userID), \(bind: now))
            """).run()
    }

    static func saveTypeTerms(_ terms: TypeTerms, tenantID: UUID, by userID: UUID, at now: Date, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO account_type_terms (tenant_id, customer_type, terms, due_days, credit_limit, updated_by, updated_at)
            VALUES (\(bind: tenantID), \(bind: terms.customerType), \(bind: terms.terms.rawValue), \(bind: terms.dueDays),
                    \(bind: terms.creditLimit?.minorUnits), \(bind: userID), \(bind: now))
            ON CONFLICT (tenant_id, customer_type) DO UPDATE SET terms = excluded.terms, due_days = excluded.due_days,
                credit_limit = excluded.credit_limit, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """).run()
    }
}
