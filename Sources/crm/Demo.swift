import Contracts
import Foundation
import Kernel
import Logging

/// The demo tenant of `crm serve --demo`: a dry cleaner in Istanbul with a few customers, whose
/// owner gets a fresh password at every start.
enum Demo {
    static let slug = "demo"
    static let ownerEmail = "owner@demo.example"

    struct SignIn: Sendable {
        let tenant: String
        let email: String
        let password: String

        func instructions(port: Int, host: String) -> String {
            """
            Demo sign-in: tenant "\(tenant)", e-mail "\(email)", password "\(password)"
              curl -s http://\(host):\(port)/api/v1/auth/login -H 'content-type: application/json' \\
                -d '{"tenant":"\(tenant)","email":"\(email)","password":"\(password)"}'
            """
        }
    }

    static func prepare(kernel: Kernel, logger: Logger) async throws -> SignIn {
        let tenant: Tenant
        if let existing = try await kernel.tenants.find(slug: slug) {
            tenant = existing
        } else {
            let created = try await kernel.tenants.create(
                NewTenant(
                    slug: slug, name: "Moda Kuru Temizleme", sector: "drycleaning",
                    owner: NewUser(email: ownerEmail, name: "Demo Owner", role: "owner")
                ),
                by: .commandLine
            )
            tenant = created.tenant
            try await addSampleCustomers(kernel: kernel, tenant: tenant, owner: created.owner)
            logger.info("created the demo tenant", metadata: ["tenant": .string(slug)])
        }
        let reset = try await kernel.tenants.resetOwnerPassword(tenant.id, by: .commandLine)
        return SignIn(tenant: slug, email: reset.user.email, password: reset.generatedPassword ?? "")
    }

    private static func addSampleCustomers(kernel: Kernel, tenant: Tenant, owner: User) async throws {
        let principal = Principal(tenantID: tenant.id, sector: tenant.sector, userID: owner.id, email: owner.email, name: owner.name, role: .owner,
                                  branchID: nil, tokenID: nil, origin: .commandLine)
        let samples: [CustomerDraft] = [
            CustomerDraft(name: "Ayşe Yılmaz", phones: [PhoneInput(number: "0532 123 45 67")], email: "ayse.yilmaz@example.com",
                          customerType: "vip", address: Address(city: "İstanbul", district: "Kadıköy", neighbourhood: "Moda")),
            CustomerDraft(name: "Mehmet Öztürk", phones: [PhoneInput(number: "+90 (533) 987-6543")], customerType: "retail",
                          address: Address(city: "İstanbul", district: "Üsküdar")),
            CustomerDraft(name: "Işık Tekstil A.Ş.", phones: [PhoneInput(number: "0216 555 12 34", label: "work")],
                          email: "muhasebe@isik-tekstil.example", customerType: "corporate", preferredChannel: "email"),
        ]
        var customers: [Customer] = []
        for draft in samples {
            customers.append(try await kernel.customers.create(draft, by: principal))
        }
        let order = try await kernel.orders.create(
            OrderDraft(customerId: customers[0].id, items: [
                LineRequest(service: "shirt", quantity: 3),
                LineRequest(service: "suit_2", attributes: ["colour": "lacivert"], addOns: ["stain_treatment"]),
            ], notes: "Gömlekler az kolalı"),
            by: principal
        )
        _ = try await kernel.tracking.scan(order.items[0].tag, to: "cleaning", note: nil, by: principal)
    }
}
