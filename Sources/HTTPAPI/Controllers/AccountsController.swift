import Accounts
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import NIOFoundationCompat

/// The customer account (cari): balance, statement, entries taken by hand, corrections, payment
/// terms per customer and per customer type.
struct AccountsController {
    let accounts: AccountsModule
    let tenants: TenantService
    let settings: APISettings

    struct CorrectionRequest: Decodable {
        let reason: String?
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("customers/:id/account") { request, context in
            try JSONBody.response(try await accounts.ledger.balance(customerID: try context.id(of: "The customer"), at: try request.periodEnd("at"),
                                                                    by: context.principal))
        }
        api.get("customers/:id/account/statement") { request, context in
            let to = try request.periodEnd("to") ?? Date()
            let from = try request.queryDate("from") ?? to.addingTimeInterval(-30 * 86_400)
            return try JSONBody.response(try await accounts.ledger.statement(customerID: try context.id(of: "The customer"), from: from, to: to,
                                                                             by: context.principal))
        }
        api.get("customers/:id/account/statement/xlsx") { request, context in
            let to = try request.periodEnd("to") ?? Date()
            let from = try request.queryDate("from") ?? to.addingTimeInterval(-30 * 86_400)
            let statement = try await accounts.ledger.statement(customerID: try context.id(of: "The customer"), from: from, to: to, by: context.principal)
            let zone = TimeZone(identifier: try await tenants.current(context.principal).timeZone) ?? TimeZone(identifier: TenantService.defaultTimeZone)!
            var headers = HTTPFields()
            headers[.contentType] = StatementWorkbook.contentType
            headers[.contentDisposition] = "attachment; filename=\"ekstre-\(statement.customerCode).xlsx\""
            return Response(status: .ok, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(data: try StatementWorkbook.xlsx(statement, timeZone: zone))))
        }
        api.post("customers/:id/account/entries") { request, context in
            let input = try await JSONBody.decode(EntryInput.self, from: request, limit: settings.maximumBodyBytes)
            let entry = try await accounts.ledger.record(input, customerID: try context.id(of: "The customer"), by: context.principal)
            return try JSONBody.response(entry, status: .created)
        }
        api.post("account-entries/:id/correction") { request, context in
            let input = try await JSONBody.decode(CorrectionRequest.self, from: request, limit: settings.maximumBodyBytes)
            let entry = try await accounts.ledger.correct(entryID: try context.id(of: "The entry"), reason: input.reason, by: context.principal)
            return try JSONBody.response(entry, status: .created)
        }
        api.get("customers/:id/account/profile") { _, context in
            let profile = try await accounts.terms.profile(customerID: try context.id(of: "The customer"), by: context.principal)
            return try JSONBody.response(profile, headers: [.eTag: entityTag(profile.version)])
        }
        api.patch("customers/:id/account/profile") { request, context in
            let id = try context.id(of: "The customer")
            let expected = try request.ifMatchVersion()
            let patch = try await JSONBody.decode(AccountProfilePatch.self, from: request, limit: settings.maximumBodyBytes,
                                                  nullable: ["terms", "dueDays", "creditLimit", "collateral", "taxNumber", "taxOffice", "legalName"])
            let profile = try await accounts.terms.update(customerID: id, patch, expectedVersion: expected, by: context.principal)
            return try JSONBody.response(profile, headers: [.eTag: entityTag(profile.version)])
        }
        api.get("overdue-accounts") { _, context in
            try JSONBody.response(Items(try await accounts.overdue.list(by: context.principal)))
        }
        api.get("uncollected-orders") { _, context in
            try JSONBody.response(Items(try await accounts.storage.uncollected(by: context.principal)))
        }
        api.post("account-statement-mailings") { request, context in
            let input = try await JSONBody.decode(StatementMailingRequest.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await accounts.statements.mail(input, by: context.principal), status: .accepted)
        }
        api.get("account-terms") { _, context in
            try JSONBody.response(Items(try await accounts.terms.typeTerms(by: context.principal)))
        }
        api.put("account-terms/:type") { request, context in
            let input = try await JSONBody.decode(TypeTermsInput.self, from: request, limit: settings.maximumBodyBytes)
            guard let type = context.parameters.get("type") else { throw DomainError.notFound("customer type") }
            return try JSONBody.response(try await accounts.terms.setTypeTerms(input, customerType: type, by: context.principal))
        }
    }
}

extension Request {
    /// A query time that ends a period: a date (`2026-11-30`) means the end of that day (UTC), a time means itself.
    func periodEnd(_ name: String) throws -> Date? {
        guard let text = queryGiven(name) else { return nil }
        if let time = RFC3339.dateTime(text) { return time }
        guard let day = RFC3339.day(text) else {
            throw APIError.invalidParameter(name, "\(name) must be a date (2026-11-30) or a time (2026-11-30T18:00:00Z).")
        }
        return day.addingTimeInterval(86_400 - 0.001)
    }
}
