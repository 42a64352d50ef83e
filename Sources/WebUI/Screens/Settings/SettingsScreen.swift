import Contracts
import Foundation
import Hummingbird
import Kernel

/// The owner's settings: catalog prices, customer-type discounts, branches and staff. Every
/// change goes through the kernel, which checks the role, bounds the values and audits it.
struct SettingsScreen {
    let desk: FrontDesk

    struct View {
        struct Price {
            let code: String
            let name: String
            let unit: String
            let price: String
            let addOn: Bool
        }

        struct CustomerTypeRow {
            let code: String
            let name: String
            let discount: String
        }

        struct BranchRow {
            let id: String
            let code: String
            let name: String
            let phone: String
        }

        struct StaffRow {
            let name: String
            let email: String
            let role: String
            let branch: String
        }

        struct RoleChoice {
            let id: String
            let name: String
        }

        let t: [String: String]
        let csrf: String
        let created: String?
        let error: String?
        let catalog: [Price]
        let types: [CustomerTypeRow]
        let branches: [BranchRow]
        let staff: [StaffRow]
        let roles: [RoleChoice]
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("settings") { request, context in
            let session = try desk.session(context)
            return try await page(session, request: request, created: nil, error: nil)
        }
        router.post("settings/catalog") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let code = try required(form, "code")
            guard let price = Formats.parseMoney(form["price"] ?? "") else {
                return try await page(session, request: request, created: nil, error: session.language.text("invalidAmount"), status: .unprocessableContent)
            }
            return try await change(session, request: request) {
                _ = try await desk.kernel.sector.changeCatalog(code, CatalogChange(price: price), by: session.principal)
            }
        }
        router.post("settings/customer-types") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let code = try required(form, "code")
            guard let basisPoints = Formats.parsePercent(form["discount"] ?? "") else {
                return try await page(session, request: request, created: nil, error: session.language.text("invalidPercent"), status: .unprocessableContent)
            }
            let current = try await desk.kernel.customerTypes.list(session.principal).first { $0.code == code }
            return try await change(session, request: request) {
                _ = try await desk.kernel.customerTypes.setPricing(
                    code, PriceTerms(discountBasisPoints: basisPoints, priceList: current?.priceList ?? [:]), by: session.principal)
            }
        }
        router.post("settings/branches") { request, context in
            let (form, session) = try await desk.posted(request, context)
            return try await change(session, request: request) {
                _ = try await desk.kernel.branches.create(NewBranch(code: form["code"], name: form["name"], phone: form["phone"]), by: session.principal)
            }
        }
        router.post("settings/staff") { request, context in
            let (form, session) = try await desk.posted(request, context)
            do {
                let created = try await desk.kernel.users.create(
                    NewUser(email: form["email"], name: form["name"], role: form["role"], branchId: form["branch"].flatMap(UUID.init(uuidString:))),
                    by: session.principal)
                let said = session.language == .tr
                    ? "\(created.user.email) eklendi. İlk parolası (yalnızca şimdi gösterilir): \(created.generatedPassword ?? "")"
                    : "\(created.user.email) was added. Their first password (shown only now): \(created.generatedPassword ?? "")"
                return try await page(session, request: request, created: said, error: nil)
            } catch let error as DomainError where error.code.kind == .unprocessable || error.code.kind == .conflict {
                return try await page(session, request: request, created: nil, error: Self.words(error), status: WebErrorMiddleware.status(of: error.code))
            }
        }
    }

    private func required(_ form: Form, _ name: String) throws -> String {
        guard let value = form[name] else { throw DomainError.invalid(name, .missingField, "\(name) is required.") }
        return value
    }

    /// Runs a change and shows the settings again: saved, or what stopped it.
    private func change(_ session: WebSession, request: Request, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Views.redirect("/settings?notice=settingsSaved")
        } catch let error as DomainError where error.code.kind == .unprocessable || error.code.kind == .conflict || error.code.kind == .notFound {
            return try await page(session, request: request, created: nil, error: Self.words(error), status: WebErrorMiddleware.status(of: error.code))
        }
    }

    static func words(_ error: DomainError) -> String {
        ([error.message] + error.fields.map(\.message)).joined(separator: " ")
    }

    private func page(_ session: WebSession, request: Request, created: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = session.principal
        try principal.require(.manageTenant)
        let language = session.language.rawValue
        let catalog = try await desk.kernel.sector.catalog(principal).filter(\.active).map(\.item)
        let branches = try await desk.kernel.branches.list(principal)
        let branchNames = Dictionary(branches.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let view = View(
            t: session.language.texts, csrf: session.csrfToken, created: created, error: error,
            catalog: catalog.map { item in
                View.Price(code: item.code, name: item.name.text(for: language), unit: item.unit.rawValue,
                           price: Formats.amount(item.price), addOn: item.kind == .addOn)
            },
            types: try await desk.kernel.customerTypes.list(principal).map {
                .init(code: $0.code, name: $0.name, discount: Formats.percent(basisPoints: $0.discountBasisPoints).replacingOccurrences(of: "%", with: ""))
            },
            branches: branches.map { .init(id: $0.id.uuidString.lowercased(), code: $0.code, name: $0.name, phone: $0.phone.map(Formats.phone) ?? "") },
            staff: try await desk.kernel.users.list(principal).map {
                .init(name: $0.name, email: $0.email, role: session.language.text("role.\($0.role.rawValue)"),
                      branch: $0.branchId.flatMap { branchNames[$0] } ?? "—")
            },
            roles: principal.role.assignableRoles.sorted { $0.rawValue < $1.rawValue }.map {
                .init(id: $0.rawValue, name: session.language.text("role.\($0.rawValue)"))
            })
        return desk.views.page(session.language.text("page.settings"), template: "settings", view: view,
                               chrome: desk.chrome(session, request: request), status: status)
    }
}
