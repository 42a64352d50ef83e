import Contracts
import Foundation
import Hummingbird
import Kernel

/// Taking an order in the sector's own terms. The form is drawn from what the sector module
/// declares (its services and add-ons with their units, its line details with their choices and
/// groups), never from the sector's name: m² services ask width × length, and a module that
/// declares a plate and a vehicle class gets them asked. The quote is the kernel's own, live.
struct NewOrderScreen {
    let desk: FrontDesk

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("orders/new") { request, context in
            let session = try desk.session(context)
            let customer = request.uri.queryParameters["customer"].flatMap { UUID(uuidString: String($0)) }
            guard let customer else { throw DomainError.invalid("customer", .missingField, "Choose the customer first.") }
            let entry = OrderEntry(customerID: customer)
            return try await page(entry, session: session, quote: nil, error: nil, request: request)
        }
        router.post("orders/new") { request, context in
            let (form, session) = try await desk.posted(request, context)
            var entry = try OrderEntry(form: form)
            switch form["intent"] ?? "save" {
            case "addLine":
                if entry.lines.count < OrderEntry.maximumLines { entry.lines.append(OrderEntry.Line()) }
                return try await page(entry, session: session, quote: nil, error: nil, request: request)
            case "quote":
                return try await page(entry, session: session, quote: try await quote(entry, session: session), error: nil, request: request)
            default:
                do {
                    let order = try await desk.kernel.orders.create(try entry.draft(), by: session.principal)
                    return Views.redirect("/orders/\(order.id.uuidString.lowercased())?notice=orderSaved")
                } catch let error as DomainError where error.code.kind == .unprocessable || error.code.kind == .badRequest {
                    return try await page(entry, session: session, quote: nil, error: error, request: request)
                }
            }
        }
        router.post("orders/quote") { request, context in
            let (form, session) = try await desk.posted(request, context)
            return desk.views.fragment(try await quote(try OrderEntry(form: form), session: session), template: "quote")
        }
    }

    // MARK: The form

    struct View {
        let t: [String: String]
        let csrf: String
        let sectorName: String
        let customerID: String
        let customerName: String
        let customerTypeName: String
        let discount: String?
        let lines: [LineView]
        let notes: String
        let quote: String
        let error: String?
        let fieldErrors: [String]
    }

    struct LineView {
        struct Option {
            let code: String
            let name: String
            let price: String
            let unit: String
            let unitSuffix: String
            let group: String
            let selected: Bool
        }

        struct Attribute {
            struct Choice {
                let value: String
                let selected: Bool
            }

            let index: Int
            let key: String
            let name: String
            let value: String
            let required: Bool
            let groups: String
            let applies: Bool
            let choices: [Choice]
        }

        struct AddOn {
            let code: String
            let name: String
            let price: String
            let checked: Bool
        }

        let index: Int
        let number: Int
        let quantityLabel: String
        let services: [Option]
        let quantity: String
        let widthCm: String
        let lengthCm: String
        let isArea: Bool
        let attributes: [Attribute]
        let addOns: [AddOn]
        let note: String
    }

    private func page(_ entry: OrderEntry, session: WebSession, quote: QuoteView?, error: DomainError?, request: Request) async throws -> Response {
        let principal = session.principal
        guard let customerID = entry.customerID else { throw DomainError.invalid("customer", .missingField, "Choose the customer first.") }
        let customer = try await desk.kernel.customers.get(customerID, by: principal)
        let type = try await desk.kernel.customerTypes.list(principal).first { $0.code == customer.customerType }
        let catalog = try await desk.kernel.sector.catalog(principal).filter(\.active).map(\.item)
        let attributes = try desk.kernel.sector.lineAttributes(principal)
        let module = try desk.kernel.registry.require(principal.sector)
        let language = session.language.rawValue
        let t = session.language.texts
        let services = catalog.filter { $0.kind == .service }
        let addOns = catalog.filter { $0.kind == .addOn }
        let lines = entry.lines.enumerated().map { index, line in
            let chosen = services.first { $0.code == line.service }
            return LineView(
                index: index, number: index + 1, quantityLabel: t["quantity"] ?? "",
                services: services.map { item in
                    LineView.Option(code: item.code, name: item.name.text(for: language), price: Formats.money(item.price), unit: item.unit.rawValue,
                                    unitSuffix: item.unit == .squareMetre ? (t["perSquareMetre"] ?? "") : "", group: item.group ?? "",
                                    selected: item.code == line.service)
                },
                quantity: line.quantity, widthCm: line.widthCm, lengthCm: line.lengthCm, isArea: chosen?.unit == .squareMetre,
                attributes: attributes.map { attribute in
                    let value = line.attributes[attribute.key] ?? ""
                    return LineView.Attribute(index: index, key: attribute.key, name: attribute.name.text(for: language), value: value,
                                              required: attribute.required, groups: (attribute.groups ?? []).joined(separator: " "),
                                              applies: chosen.map(attribute.applies) ?? (attribute.groups == nil),
                                              choices: (attribute.choices ?? []).map { .init(value: $0, selected: $0 == value) })
                },
                addOns: addOns.map { item in
                    LineView.AddOn(code: item.code, name: item.name.text(for: language),
                                   price: item.surchargeBasisPoints.map { "+" + Formats.percent(basisPoints: $0) } ?? Formats.money(item.price),
                                   checked: line.addOns.contains(item.code))
                },
                note: line.note)
        }
        let quoteHTML = quote.map { desk.views.render($0, template: "quote") } ?? ""
        let view = View(t: t, csrf: session.csrfToken, sectorName: module.identity.name.text(for: language),
                        customerID: customerID.uuidString.lowercased(), customerName: customer.name, customerTypeName: type?.name ?? customer.customerType,
                        discount: type.flatMap { $0.discountBasisPoints > 0 ? Formats.percent(basisPoints: $0.discountBasisPoints) : nil },
                        lines: lines, notes: entry.notes, quote: quoteHTML, error: error?.message,
                        fieldErrors: error.map { error in error.fields.filter { $0.message != error.message }.map { "\($0.field): \($0.message)" } } ?? [])
        return desk.views.page(session.language.text("page.newOrder"), template: "new-order", view: view,
                               chrome: desk.chrome(session, request: request),
                               status: error.map { WebErrorMiddleware.status(of: $0.code) } ?? .ok)
    }

    // MARK: The quote

    struct QuoteView {
        struct Line {
            let name: String
            let details: String?
            let measure: String?
            let unitPrice: String
            let total: String
            let discount: String?
        }

        struct Adjustment {
            let name: String
            let amount: String
        }

        let t: [String: String]
        let problem: String?
        let lines: [Line]
        let adjustments: [Adjustment]
        let discountTotal: String?
        let vat: String
        let total: String
    }

    /// The kernel's price for the lines filled in so far; what stops it is shown in its place.
    func quote(_ entry: OrderEntry, session: WebSession) async throws -> QuoteView {
        let t = session.language.texts
        let language = session.language.rawValue
        let filled = OrderEntry(customerID: entry.customerID, lines: entry.lines.filter { !$0.isBlank }, notes: entry.notes)
        guard !filled.lines.isEmpty else {
            return QuoteView(t: t, problem: nil, lines: [], adjustments: [], discountTotal: nil, vat: "", total: "")
        }
        do {
            let quote = try await desk.kernel.orders.quote(try filled.draft(), by: session.principal)
            let perSquareMetre = t["perSquareMetre"] ?? ""
            return QuoteView(
                t: t, problem: nil,
                lines: quote.items.map { line in
                    let area = line.widthCm.flatMap { width in line.lengthCm.map { Formats.area(widthCm: width, lengthCm: $0) } }
                    let measure = [line.widthCm.flatMap { w in line.lengthCm.map { "\(w) × \($0) cm" } }, area, line.quantity > 1 ? "× \(line.quantity)" : nil]
                        .compactMap { $0 }.joined(separator: " · ")
                    return QuoteView.Line(name: line.serviceName, details: line.attributes.sorted { $0.key < $1.key }.map(\.value).joined(separator: " · ").nilIfEmpty,
                                          measure: measure.nilIfEmpty, unitPrice: Formats.money(line.unitPrice) + (area != nil ? perSquareMetre : ""),
                                          total: Formats.money(line.total), discount: line.discount.minorUnits > 0 ? Formats.money(line.discount) : nil)
                },
                adjustments: quote.adjustments.map { QuoteView.Adjustment(name: $0.name.text(for: language), amount: Formats.money($0.amount)) },
                discountTotal: quote.totals.discount.minorUnits > 0 ? Formats.money(quote.totals.discount) : nil,
                vat: Formats.money(quote.totals.vat), total: Formats.money(quote.totals.total))
        } catch let error as DomainError where error.code.kind == .unprocessable || error.code.kind == .badRequest {
            let problem = ([error.message] + error.fields.map(\.message)).joined(separator: " ")
            return QuoteView(t: t, problem: problem, lines: [], adjustments: [], discountTotal: nil, vat: "", total: "")
        }
    }
}
