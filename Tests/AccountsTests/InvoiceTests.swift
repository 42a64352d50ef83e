import Accounts
import Contracts
import Foundation
import Invoicing
import Kernel
import Storage
import Testing
import TestSupport

@Suite("Invoices: numbering, UBL-TR export, monthly invoices")
struct InvoiceTests {
    @Test("50 invoices issued at once get unique, gapless numbers", arguments: TestDatabases.engines)
    func concurrentNumbers(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        try await fixture.setUpInvoicing()
        let customer = try await fixture.tenant.customer(fixture.kernel)
        var orders: [Order] = []
        for _ in 0..<50 { orders.append(try await fixture.order(customer, [LineRequest(service: "shirt")])) }
        let numbers = try await withThrowingTaskGroup(of: String.self) { group in
            for order in orders {
                group.addTask { try await fixture.invoicing.invoices.issue(orderID: order.id, by: fixture.owner).number }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let year = String(numbers[0].dropFirst(3).prefix(4))
        #expect(numbers.sorted() == (1...50).map { String(format: "ABC%@%09d", year, $0) })
        await #expect { try await fixture.invoicing.invoices.issue(orderID: orders[0].id, by: fixture.owner) }
            throws: { ($0 as? DomainError)?.code == .conflict }
        let next = try await fixture.invoicing.invoices.issue(orderID: try await fixture.order(customer, [LineRequest(service: "tie")]).id,
                                                              by: fixture.owner)
        #expect(next.number == String(format: "ABC%@%09d", year, 51), "a refused issue gave its number back")
    }

    @Test("UBL-TR documents pass GİB's XSD and schematron: a business with several VAT rates, a person on e-Arşiv, a zero-rated line",
          .enabled(if: EFaturaKontrol.executable != nil), arguments: TestDatabases.engines)
    func documentsPassGIBChecks(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine, sector: "retail")
        try await fixture.setUpInvoicing()
        let company = try await fixture.tenant.customer(fixture.kernel, name: "Örnek Gıda A.Ş.", type: "corporate")
        _ = try await fixture.accounts.terms.update(customerID: company.id, {
            var patch = AccountProfilePatch()
            patch.taxNumber = .value("1234567890")
            patch.taxOffice = .value("Beşiktaş")
            patch.legalName = .value("Örnek Gıda Sanayi ve Ticaret A.Ş.")
            return patch
        }(), by: fixture.owner)
        let person = try await fixture.tenant.customer(fixture.kernel, name: "Ayşe Nur Yılmaz")
        _ = try await fixture.accounts.terms.update(customerID: person.id, {
            var patch = AccountProfilePatch()
            patch.taxNumber = .value("10000000146")
            return patch
        }(), by: fixture.owner)
        let walkIn = try await fixture.tenant.customer(fixture.kernel, name: "Mehmet")
        _ = try await fixture.kernel.sector.changeCatalog("simit", CatalogChange(vatRate: 0), by: fixture.owner)

        let business = try await fixture.order(company, [LineRequest(service: "bread", quantity: 7), LineRequest(service: "tea", quantity: 3),
                                                         LineRequest(service: "mug")])
        let archive = try await fixture.order(person, [LineRequest(service: "turkish_coffee", quantity: 2), LineRequest(service: "pogaca", quantity: 3)])
        let zeroRated = try await fixture.order(walkIn, [LineRequest(service: "simit", quantity: 3), LineRequest(service: "filter_coffee")])
        var invoices: [Invoice] = []
        for order in [business, archive, zeroRated] {
            invoices.append(try await fixture.invoicing.invoices.issue(orderID: order.id, by: fixture.owner))
        }
        #expect(invoices.map(\.document.profile) == [.basic, .archive, .archive])
        #expect(Set(invoices[0].document.taxes.map(\.vatBasisPoints)) == [100, 1_000, 2_000])
        #expect(invoices[2].document.taxes.first { $0.vatBasisPoints == 0 }?.exemptionCode == "351")
        #expect(invoices[2].document.buyer.taxNumber == TaxNumber.anonymous)
        for (invoice, order) in zip(invoices, [business, archive, zeroRated]) {
            #expect(invoice.document.totals.payable == order.totals.total.minorUnits, "the invoice asks what the order costs")
            #expect(invoice.status == .issued)
        }
        try await fixture.working {
            let exported = try await eventually {
                try await invoices.asyncAll { try await fixture.invoicing.invoices.get($0.id, by: fixture.owner).status == .exported }
            }
            #expect(exported)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ubl-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL] = []
        for invoice in invoices {
            let xml = try #require(try await fixture.invoicing.invoices.xml(invoice.id, by: fixture.owner).xml)
            let file = folder.appendingPathComponent(invoice.number + ".xml")
            try xml.write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
            let page = try await fixture.invoicing.invoices.html(invoice.id, by: fixture.owner).html
            #expect(page.contains(invoice.number) && page.contains(Money(minorUnits: invoice.payable).turkish))
        }
        // The checker is not lenient: a document whose total is off by five kuruş is reported (it allows one).
        let xml = try #require(try await fixture.invoicing.invoices.xml(invoices[0].id, by: fixture.owner).xml)
        let payable = InvoiceDocumentText.amount(invoices[0].payable)
        let broken = xml.replacingOccurrences(of: "<cbc:PayableAmount currencyID=\"TRY\">\(payable)<",
                                              with: "<cbc:PayableAmount currencyID=\"TRY\">\(InvoiceDocumentText.amount(invoices[0].payable + 5))<")
        #expect(broken != xml)
        let brokenFile = folder.appendingPathComponent("broken.xml")
        try broken.write(to: brokenFile, atomically: true, encoding: .utf8)
        let reports = try await EFaturaKontrol.check(files + [brokenFile])
        for (invoice, file) in zip(invoices, files) {
            let report = try #require(reports[file.lastPathComponent], "no report for \(file.lastPathComponent)")
            #expect(report.errors == 0 && report.warnings == 0, "\(invoice.document.profile.rawValue) \(invoice.number): \(report.findings)")
        }
        #expect(try #require(reports[brokenFile.lastPathComponent]).warnings > 0)
    }

    @Test("the checker runs in the test command", .enabled(if: ProcessInfo.processInfo.environment["CRM_TEST_REQUIRE_EFATURA"] == "1"))
    func checkerIsThere() {
        #expect(EFaturaKontrol.executable != nil, "CRM_EFATURA_KONTROL must name the efatura-kontrol executable")
    }

    @Test("a monthly invoice covers the customer's orders delivered that month, once", arguments: TestDatabases.engines)
    func monthlyInvoice(engine: Engine) async throws {
        // Mid-month in Istanbul, so that the orders' month and the invoice's never straddle a boundary.
        let clock = SteppingClock(Date(timeIntervalSince1970: 1_794_787_200)) // 2026-11-16 00:00 UTC
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        try await fixture.setUpInvoicing()
        let company = try await fixture.tenant.customer(fixture.kernel, name: "Otel Boğaziçi", type: "corporate")
        var patch = AccountProfilePatch()
        patch.terms = .value("open")                 // on account: delivered now, invoiced and paid at the month's end
        patch.taxNumber = .value("1234567890")
        patch.legalName = .value("Boğaziçi Turizm A.Ş.")
        patch.taxOffice = .value("Sarıyer")
        _ = try await fixture.accounts.terms.update(customerID: company.id, patch, by: fixture.owner)
        let first = try await fixture.order(company, [LineRequest(service: "duvet", quantity: 2)])
        let second = try await fixture.order(company, [LineRequest(service: "blanket", quantity: 4), LineRequest(service: "curtain", widthCm: 250, lengthCm: 180)])
        let pending = try await fixture.order(company, [LineRequest(service: "shirt")])
        try await fixture.walk(first, to: "delivered")
        try await fixture.walk(second, to: "delivered")
        clock.advance(days: 1)
        let month = "2026-11"
        let invoice = try await fixture.invoicing.invoices.issueMonthly(customerID: company.id, month: month, by: fixture.owner)
        #expect(invoice.kind == .monthly && invoice.period == month)
        #expect(invoice.document.orderNumbers == [first.number, second.number], "only delivered orders, in order")
        #expect(invoice.payable == (first.totals.total + second.totals.total).minorUnits)
        #expect(invoice.document.lines.contains { $0.unitCode == "MTK" && $0.quantity == "4.5" })
        await #expect { try await fixture.invoicing.invoices.issueMonthly(customerID: company.id, month: month, by: fixture.owner) }
            throws: { ($0 as? DomainError)?.code == .conflict }
        _ = pending
    }
}

enum InvoiceDocumentText {
    static func amount(_ kurus: Int) -> String { String(format: "%d.%02d", kurus / 100, kurus % 100) }
}

/// GİB's UBL-TR checks, as the PyPI package `efatura-kontrol` runs them offline (`CRM_EFATURA_KONTROL`
/// names its executable; the test command installs it).
enum EFaturaKontrol {
    static let executable: String? = ProcessInfo.processInfo.environment["CRM_EFATURA_KONTROL"].flatMap {
        FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil
    }

    struct Report {
        let errors: Int
        let warnings: Int
        let findings: String
    }

    /// The reports of `files`, by file name, from one run of the checker (its start-up, loading GİB's
    /// schematron, is most of its time).
    static func check(_ files: [URL]) async throws -> [String: Report] {
        // GİB's "issue date not after today" (sch-TimeCheck-1) reads today's date in the checker's
        // zone: Turkey's, as the invoice's date is the tenant's day (between 21:00 and 24:00 UTC
        // the two days differ).
        let (_, output) = try await runProcess(try #require(executable), ["toplu", "--json", "--isci", "1"] + files.map(\.path),
                                               environment: ["TZ": TenantService.defaultTimeZone])
        var reports: [String: Report] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let summary = try #require(report["ozet"] as? [String: Any])
            let findings = (report["bulgular"] as? [[String: Any]] ?? []).filter { ($0["seviye"] as? String) != "bilgi" }
                .map { "\($0["kod"] ?? "?"): \($0["mesaj"] ?? "")" }.joined(separator: "\n")
            reports[report["dosya"] as? String ?? ""] = Report(errors: summary["hata"] as? Int ?? -1, warnings: summary["uyari"] as? Int ?? -1,
                                                              findings: findings)
        }
        return reports
    }
}

extension Array where Element: Sendable {
    func asyncAll(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}
