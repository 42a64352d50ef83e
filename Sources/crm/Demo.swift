import Accounts
import Contracts
import Foundation
import Invoicing
import Kernel
import Logging
import Loyalty
import WebUI

/// The demo of `crm serve --demo`: three businesses in Istanbul (a dry cleaner, a carpet washer and a
/// car wash), each with a few customers and orders at different stages, whose owners get a fresh
/// password at every start. The sign-in page and the server's output show the sign-ins.
enum Demo {
    static let slug = "demo"
    static let ownerEmail = "owner@demo.example"

    struct SignIn: Sendable {
        let tenant: String
        let email: String
        let password: String
        let label: String

        func instructions(port: Int, host: String) -> String {
            """
            Demo sign-in (\(label)): tenant "\(tenant)", e-mail "\(email)", password "\(password)"
              in a browser: http://\(host):\(port)/  ·  the API: curl -s http://\(host):\(port)/api/v1/auth/login -H 'content-type: application/json' \\
                -d '{"tenant":"\(tenant)","email":"\(email)","password":"\(password)"}'
            """
        }

        var web: DemoSignIn { DemoSignIn(tenant: tenant, email: email, password: password, label: label) }
    }

    /// A demo business: who it is and what it holds on its first start.
    private struct Business {
        let slug: String
        let name: String
        let sector: String
        let email: String
        /// A courier of the first branch, signed in to like the owner (the courier view on a phone).
        var courierEmail: String?
        let seed: @Sendable (Kernel, Principal, [Customer], Branch) async throws -> Void
    }

    private static let businesses: [Business] = [
        Business(slug: slug, name: "Moda Kuru Temizleme", sector: "drycleaning", email: ownerEmail) { kernel, principal, customers, branch in
            let first = try await kernel.orders.create(OrderDraft(customerId: customers[0].id, items: [
                LineRequest(service: "shirt", quantity: 3),
                LineRequest(service: "suit_2", attributes: ["colour": "lacivert"], addOns: ["stain_treatment"]),
            ], notes: "Gömlekler az kolalı"), by: principal)
            _ = try await kernel.tracking.scan(first.items[0].tag, to: "cleaning", note: nil, by: principal)
            let second = try await kernel.orders.create(OrderDraft(customerId: customers[1].id, items: [LineRequest(service: "coat")]), by: principal)
            for stage in ["cleaning", "ready"] { _ = try await kernel.tracking.scan(second.items[0].tag, to: stage, note: nil, by: principal) }
            try await seedHistory(kernel, principal: principal, customers: customers, firstBranch: branch)
        },
        Business(slug: "demo-hali", name: "Anadolu Halı Yıkama", sector: "carpet", email: ownerEmail, courierEmail: "kurye@demo.example") {
            kernel, principal, customers, branch in
            _ = try await kernel.orders.create(OrderDraft(customerId: customers[0].id, items: [
                LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300),
                LineRequest(service: "kilim", widthCm: 120, lengthCm: 180, addOns: ["stain_odour"]),
            ]), by: principal)
            // A washed carpet on the courier's run, to be delivered to the customer's door.
            let courier = try await kernel.users.create(NewUser(email: "kurye@demo.example", name: "Kurye Ali", role: "courier", branchId: branch.id), by: principal)
            let delivery = try await kernel.orders.create(OrderDraft(
                customerId: customers[1].id, items: [LineRequest(service: "shaggy", widthCm: 160, lengthCm: 230)],
                deliveryAddress: Address(city: "İstanbul", district: "Üsküdar", neighbourhood: "Kuzguncuk", line: "İcadiye Cd. No: 12"),
                courierId: courier.user.id), by: principal)
            for stage in ["washing", "drying", "ready"] { _ = try await kernel.tracking.scan(delivery.items[0].tag, to: stage, note: nil, by: principal) }
        },
        Business(slug: "demo-oto", name: "Boğaz Oto Yıkama", sector: "carwash", email: ownerEmail) { kernel, principal, customers, _ in
            _ = try await kernel.orders.create(OrderDraft(customerId: customers[1].id, items: [
                LineRequest(service: "full", attributes: ["plate": "34 ABC 123", "vehicleClass": "suv"]),
            ]), by: principal)
        },
    ]

    static func prepare(kernel: Kernel, logger: Logger) async throws -> [SignIn] {
        var signIns: [SignIn] = []
        for business in businesses where kernel.registry.module(id: business.sector) != nil {
            let tenant: Tenant
            if let existing = try await kernel.tenants.find(slug: business.slug) {
                tenant = existing
            } else {
                let created = try await kernel.tenants.create(
                    NewTenant(slug: business.slug, name: business.name, sector: business.sector,
                              owner: NewUser(email: business.email, name: "Demo Owner", role: "owner")),
                    by: .commandLine
                )
                tenant = created.tenant
                let owner = created.owner
                let principal = Principal(tenantID: tenant.id, sector: tenant.sector, userID: owner.id, email: owner.email, name: owner.name,
                                          role: .owner, branchID: nil, tokenID: nil, origin: .commandLine)
                // VIP customers get 15 % off, so the order form has a customer-type discount to show.
                _ = try await kernel.customerTypes.setPricing("vip", PriceTerms(discountBasisPoints: 1_500), by: principal)
                try await setUpInvoicing(kernel, business: business, by: principal)
                // One loyalty point per lira spent, earned as orders are handed over.
                _ = try await kernel.settingsService.change("loyalty_points_per_lira", to: .integer(1), by: principal)
                var customers: [Customer] = []
                for draft in sampleCustomers {
                    customers.append(try await kernel.customers.create(draft, by: principal))
                }
                try await business.seed(kernel, principal, customers, created.branch)
                logger.info("created a demo tenant", metadata: ["tenant": .string(business.slug)])
            }
            let reset = try await kernel.tenants.resetOwnerPassword(tenant.id, by: .commandLine)
            let label = kernel.registry.module(id: tenant.sector)?.identity.name.text(for: "tr") ?? tenant.sector
            signIns.append(SignIn(tenant: business.slug, email: reset.user.email, password: reset.generatedPassword ?? "", label: "\(tenant.name) · \(label)"))
            if let courierEmail = business.courierEmail {
                let owner = Principal(tenantID: tenant.id, sector: tenant.sector, userID: reset.user.id, email: reset.user.email, name: reset.user.name,
                                      role: .owner, branchID: nil, tokenID: nil, origin: .commandLine)
                if let courier = try await kernel.users.list(owner).first(where: { $0.email == courierEmail }) {
                    let courierReset = try await kernel.users.resetPassword(courier.id, to: nil, by: owner)
                    signIns.append(SignIn(tenant: business.slug, email: courierEmail, password: courierReset.generatedPassword ?? "",
                                          label: "\(tenant.name) · Kurye"))
                }
            }
        }
        return signIns
    }

    /// The legal details invoices carry (a made-up business with a tax number that passes the
    /// check digit), so that the demo can issue invoices at once.
    private static func setUpInvoicing(_ kernel: Kernel, business: Business, by principal: Principal) async throws {
        for (key, value) in [("invoice_title", business.name + " Ltd. Şti."), ("invoice_tax_number", "1234567890"),
                             ("invoice_tax_office", "Kadıköy"), ("invoice_street", "Moda Cad. No: 1"), ("invoice_district", "Kadıköy"),
                             ("invoice_city", "İstanbul"), ("invoice_postal_code", "34710")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: principal)
        }
    }

    /// A week and a half of a second branch's and the first branch's work, taken on the days it
    /// happened (a kernel on a clock set back, with the account's subscribers but not the messages': no
/// message goes out for it), paid when collected but for the corporate customer, so
    /// that the dashboard has days and branches to compare and an item waits uncollected.
    private static func seedHistory(_ kernel: Kernel, principal: Principal, customers: [Customer], firstBranch: Branch) async throws {
        let second = try await kernel.branches.create(NewBranch(code: "KDK", name: "Kadıköy", phone: "0216 345 67 89"), by: principal)
        let branches = [firstBranch.id, second.id]
        let services = ["shirt", "trousers", "jacket", "dress", "sweater", "coat"]
        let moment = DemoMoment()
        var settings = kernel.settings
        settings.clock = Clock { moment.value }
        let past = Kernel(database: kernel.database, registry: kernel.registry, settings: settings,
                          subscribers: [AccountsModule.subscriber, InvoicingModule.subscriber, LoyaltyModule.subscriber])
        let accounts = AccountsModule(kernel: past)
        let ledger = accounts.ledger
        // Corporate customers are on open account: they take their orders and pay later (three days,
        // short so that the demo's overdue list has something to show).
        _ = try await accounts.terms.setTypeTerms(TypeTermsInput(terms: "open", dueDays: 3), customerType: "corporate", by: principal)
        for daysAgo in [9, 6, 5, 4, 3, 2, 1] {
            moment.set(Date().addingTimeInterval(Double(-daysAgo * 86_400)))
            for (index, branch) in branches.enumerated() where daysAgo % 2 == 0 || index == 0 {
                let lines = (0...(daysAgo % 3)).map { LineRequest(service: services[($0 + daysAgo + index) % services.count], quantity: 1 + ($0 + daysAgo) % 3) }
                let order = try await past.orders.create(OrderDraft(customerId: customers[(daysAgo + index) % customers.count].id, items: lines, branchId: branch),
                                                         by: principal)
                for item in order.items {
                    for stage in ["cleaning", "ready"] { _ = try await past.tracking.scan(item.tag, to: stage, note: nil, by: principal) }
                }
                guard daysAgo != 9 else { continue }                      // left on the shelf
                // Paid when collected, but for the corporate customer, who pays on account.
                if let due = try await ledger.dueAtDelivery(orderID: order.id, by: principal) {
                    _ = try await ledger.record(EntryInput(kind: "payment", amount: due, method: daysAgo % 2 == 0 ? "card" : "cash",
                                                           orderId: order.id), customerID: order.customerId, by: principal)
                }
                for item in order.items { _ = try await past.tracking.scan(item.tag, to: "delivered", note: nil, by: principal) }
            }
        }
    }

    private static let sampleCustomers: [CustomerDraft] = [
        CustomerDraft(name: "Ayşe Yılmaz", phones: [PhoneInput(number: "0532 123 45 67")], email: "ayse.yilmaz@example.com",
                      customerType: "vip", address: Address(city: "İstanbul", district: "Kadıköy", neighbourhood: "Moda")),
        CustomerDraft(name: "Mehmet Öztürk", phones: [PhoneInput(number: "+90 (533) 987-6543")], customerType: "retail",
                      address: Address(city: "İstanbul", district: "Üsküdar")),
        CustomerDraft(name: "Işık Tekstil A.Ş.", phones: [PhoneInput(number: "0216 555 12 34", label: "work")],
                      email: "muhasebe@isik-tekstil.example", customerType: "corporate", preferredChannel: "email"),
    ]
}

/// The moment the demo's history is written at, moved from day to day.
private final class DemoMoment: @unchecked Sendable {  // guarded by its lock
    private let lock = NSLock()
    private var date = Date()

    var value: Date { lock.withLock { date } }

    func set(_ new: Date) { lock.withLock { date = new } }
}
