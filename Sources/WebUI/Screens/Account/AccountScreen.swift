import Accounts
import Contracts
import Foundation
import Hummingbird
import Kernel
import NIOCore
import NIOFoundationCompat

/// A customer's account at the front desk: the balance and terms, a payment taken at the
/// counter, and the statement (ekstre) of a period, printable.
struct AccountScreen {
    let desk: FrontDesk

    struct View {
        struct Line {
            let date: String
            let kind: String
            let description: String
            let debit: String?
            let credit: String?
            let balance: String
        }

        let t: [String: String]
        let csrf: String
        let id: String
        let name: String
        let code: String
        let balance: String
        let owes: Bool
        let inCredit: Bool
        let terms: String
        let dueDays: Int?
        let creditLimit: String?
        let creditAvailable: String?
        let from: String
        let to: String
        let opening: String
        let closing: String
        let debits: String
        let credits: String
        let lines: [Line]
        let payment: PaymentForm
        /// For open-account customers: the month a consolidated invoice is offered for (last month).
        let monthlyInvoice: String?
    }

    /// The payment form as the order and account pages show it.
    struct PaymentForm {
        let t: [String: String]
        let csrf: String
        let customerID: String
        let orderID: String?
        let back: String
        let suggested: String
        /// What the customer owes, shown above the form where payment is asked for (`1.250,00 ₺`).
        var due: String?
    }

    func addRoutes(to router: RouterGroup<WebContext>) {
        router.get("customers/:id/account") { request, context in
            let session = try desk.session(context)
            let customer = try await desk.kernel.customers.get(try CustomerScreen.id(context), by: session.principal)
            let view = try await view(customer, request: request, session: session)
            return desk.views.page("\(session.language.text("account")) · \(customer.name)", template: "account", view: view,
                                   chrome: desk.chrome(session, request: request))
        }
        router.get("customers/:id/account/xlsx") { request, context in
            let session = try desk.session(context)
            let formats = desk.formats(session)
            let period = Self.period(request, timeZone: formats.timeZone)
            let statement = try await desk.accounts.ledger.statement(customerID: try CustomerScreen.id(context), from: period.from, to: period.end,
                                                                     by: session.principal)
            return Response(status: .ok, headers: [.contentType: StatementWorkbook.contentType,
                                                   .contentDisposition: "attachment; filename=\"ekstre-\(statement.customerCode).xlsx\""],
                            body: .init(byteBuffer: ByteBuffer(data: try StatementWorkbook.xlsx(statement, timeZone: formats.timeZone))))
        }
        router.post("customers/:id/payments") { request, context in
            let (form, session) = try await desk.posted(request, context)
            let id = try CustomerScreen.id(context)
            guard let amount = form["amount"].flatMap(Formats.parseMoney) else {
                throw DomainError.invalid("amount", .invalidValue, "Write the amount as 250,00.")
            }
            let orderID = form["order"].flatMap(UUID.init(uuidString:))
            _ = try await desk.accounts.ledger.record(EntryInput(kind: "payment", amount: amount, method: form["method"], orderId: orderID),
                                                      customerID: id, by: session.principal)
            let back = form["back"].flatMap { FrontDesk.isLocalPath($0) ? $0 : nil } ?? "/customers/\(id.uuidString.lowercased())/account"
            return Views.redirect(back + (back.contains("?") ? "&" : "?") + "notice=paymentSaved")
        }
    }

    func view(_ customer: Customer, request: Request, session: WebSession) async throws -> View {
        let principal = session.principal
        let formats = desk.formats(session)
        let period = Self.period(request, timeZone: formats.timeZone)
        let statement = try await desk.accounts.ledger.statement(customerID: customer.id, from: period.from, to: period.end, by: principal)
        let account = try await desk.accounts.ledger.balance(customerID: customer.id, by: principal)
        let t = session.language.texts
        let id = customer.id.uuidString.lowercased()
        let lines = statement.lines.map { line in
            let amount = line.entry.amount
            return View.Line(date: formats.dateTime(line.entry.occurredAt), kind: t["kind.\(line.entry.kind.rawValue)"] ?? line.entry.kind.rawValue,
                             description: [line.entry.reason, line.entry.method.map { t["method.\($0.rawValue)"] ?? $0.rawValue }]
                                 .compactMap { $0 }.joined(separator: " · "),
                             debit: amount.minorUnits > 0 ? Formats.money(amount) : nil,
                             credit: amount.minorUnits < 0 ? Formats.money(Money(minorUnits: -amount.minorUnits)) : nil,
                             balance: Formats.money(line.balance))
        }
        let terms = account.terms
        return View(t: t, csrf: session.csrfToken, id: id, name: customer.name, code: customer.code, balance: Formats.money(account.balance),
                    owes: account.balance.minorUnits > 0, inCredit: account.balance.minorUnits < 0, terms: t["terms.\(terms.kind.rawValue)"] ?? "",
                    dueDays: terms.kind == .open ? terms.dueDays : nil, creditLimit: terms.creditLimit.map(Formats.money),
                    creditAvailable: account.creditAvailable.map(Formats.money),
                    from: period.fromText, to: period.toText,
                    opening: Formats.money(statement.openingBalance), closing: Formats.money(statement.closingBalance),
                    debits: Formats.money(statement.debits), credits: Formats.money(statement.credits), lines: lines,
                    payment: PaymentForm(t: t, csrf: session.csrfToken, customerID: id, orderID: nil, back: "/customers/\(id)/account",
                                         suggested: account.balance.minorUnits > 0 ? Formats.amount(account.balance) : ""),
                    monthlyInvoice: terms.kind == .open ? Self.lastMonth(timeZone: formats.timeZone) : nil)
    }

    /// The form that takes what a cash customer owes before an order is handed over; nil when
    /// nothing holds the delivery back.
    static func paymentForm(desk: FrontDesk, customerID: UUID, orderID: UUID, back: String, session: WebSession) async throws -> PaymentForm? {
        guard let due = try await desk.accounts.ledger.dueAtDelivery(orderID: orderID, by: session.principal) else { return nil }
        return PaymentForm(t: session.language.texts, csrf: session.csrfToken, customerID: customerID.uuidString.lowercased(),
                           orderID: orderID.uuidString.lowercased(), back: back, suggested: Formats.amount(due), due: Formats.money(due))
    }

    /// The month before this one in the tenant's calendar (`2026-11`).
    static func lastMonth(timeZone: TimeZone) -> String {
        let local = LocalCalendar(timeZone)
        let thisMonth = local.month(local.isoMonth(Date()))?.lowerBound ?? Date()
        return local.isoMonth(thisMonth.addingTimeInterval(-86_400))
    }

    /// The statement's period from `?from=` and `?to=` (days of the tenant's calendar): the last 90 days by default.
    static func period(_ request: Request, timeZone: TimeZone) -> (from: Date, end: Date, fromText: String, toText: String) {
        let local = LocalCalendar(timeZone)
        let calendar = local.calendar
        let today = calendar.startOfDay(for: Date())
        let fromDay = local.day(request.uri.queryParameters["from"].map(String.init)) ?? calendar.date(byAdding: .day, value: -90, to: today)!
        let toDay = local.day(request.uri.queryParameters["to"].map(String.init)) ?? today
        let end = calendar.date(byAdding: .day, value: 1, to: toDay)!.addingTimeInterval(-0.001)
        return (fromDay, end, local.isoDay(fromDay), local.isoDay(toDay))
    }
}
