import Contracts
import Foundation
import Kernel

/// Who a message goes to and what it may say: the customer's addresses and choices, and the
/// values of its variables. Built from an order or an appointment.
struct MessageFacts: Sendable {
    let tenantID: UUID
    let sector: String
    let locale: String
    let timeZone: TimeZone
    let businessName: String
    let customerID: UUID
    let phone: String?
    let email: String?
    let preferredChannel: ContactChannel
    let customerDeleted: Bool
    let orderID: UUID?
    /// Every variable but `items`, formatted for the customer's language.
    let values: [String: String]
    let items: [OrderNotice.Item]

    var variables: [String: Any] {
        var variables: [String: Any] = values
        variables["items"] = items.map { ["service": $0.service, "tag": $0.tag, "quantity": String($0.quantity)] as [String: Any] }
        return variables
    }

    /// The values every message has: the customer as addressed, the business, the branch.
    static func common(name: String, salutation: Salutation?, business: String, branch: String, branchPhone: String?) -> [String: String] {
        var values = [
            "customer": MessageFormat.addressed(name: name, salutation: salutation),
            "customerName": name,
            "business": business,
            "branch": branch,
        ]
        if let branchPhone { values["branchPhone"] = branchPhone }
        return values
    }

    init(order notice: OrderNotice, stageName: String?) {
        let contact = notice.contact
        var values = [
            "order": notice.number,
            "itemCount": String(notice.itemCount),
            "amount": MessageFormat.money(notice.total, language: contact.locale),
            "amountDue": MessageFormat.money(notice.total, language: contact.locale),
            "readyAt": MessageFormat.dateTime(notice.promisedAt, timeZone: LocalCalendar(zone: contact.timeZone).zone),
        ]
        if let stageName { values["stage"] = stageName }
        self.init(contact: contact, values: values, orderID: notice.orderID, items: notice.items)
    }

    init(contact: ContactNotice, values extra: [String: String], orderID: UUID? = nil, items: [OrderNotice.Item] = []) {
        let values = Self.common(name: contact.customerName, salutation: contact.salutation, business: contact.businessName,
                                 branch: contact.branchName, branchPhone: contact.branchPhone).merging(extra) { $1 }
        self.init(tenantID: contact.tenantID, sector: contact.sector, locale: contact.locale, timeZone: LocalCalendar(zone: contact.timeZone).zone,
                  businessName: contact.businessName, customerID: contact.customerID, phone: contact.phone, email: contact.email,
                  preferredChannel: contact.preferredChannel, customerDeleted: contact.customerDeleted, orderID: orderID, values: values, items: items)
    }

    init(tenantID: UUID, sector: String, locale: String, timeZone: TimeZone, businessName: String, customerID: UUID, phone: String?,
         email: String?, preferredChannel: ContactChannel, customerDeleted: Bool, orderID: UUID?, values: [String: String],
         items: [OrderNotice.Item]) {
        self.tenantID = tenantID
        self.sector = sector
        self.locale = locale
        self.timeZone = timeZone
        self.businessName = businessName
        self.customerID = customerID
        self.phone = phone
        self.email = email
        self.preferredChannel = preferredChannel
        self.customerDeleted = customerDeleted
        self.orderID = orderID
        self.values = values
        self.items = items
    }
}
