@testable import Accounts
import Contracts
import Foundation
import Kernel
import Notify
import Storage
import Testing
import TestSupport
import ZIPFoundation

@Suite("Bulk statements by e-mail")
struct StatementMailingTests {
    static let start = Date(timeIntervalSince1970: 1_793_577_600 + 9 * 3_600) // 2026-11-02 12:00 in Istanbul

    @Test("a month's statements go by e-mail to the account customers with the .xlsx attached, once each however often the mailing runs",
          arguments: TestDatabases.engines)
    func mailsStatements(engine: Engine) async throws {
        let smtp = try await SMTPPeer.start(user: "magaza", password: "posta-sifre")
        defer { smtp.stop() }
        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let clock = SteppingClock(Self.start)
        let fixture = try await AccountsFixture.make(engine, clock: KernelClock { clock.now })
        let notify = try await fixture.notify(gateway: gateway, smtp: smtp)
        _ = try await fixture.accounts.terms.setTypeTerms(TypeTermsInput(terms: "open", dueDays: 30), customerType: "corporate", by: fixture.owner)
        let company = try await fixture.kernel.customers.create(
            CustomerDraft(name: "Deniz Otel A.Ş.", phones: [PhoneInput(number: "0532 123 45 67")], email: "muhasebe@denizotel.example",
                          customerType: "corporate"), by: fixture.owner)
        let noAddress = try await fixture.tenant.customer(fixture.kernel, name: "Kaya İnşaat", type: "corporate")
        let walkIn = try await fixture.tenant.customer(fixture.kernel, name: "Ali Veli")
        _ = try await fixture.order(company, [LineRequest(service: "duvet")])      // 700 TL
        _ = try await fixture.order(noAddress, [LineRequest(service: "coat")])
        _ = try await fixture.order(walkIn, [LineRequest(service: "coat")])        // pays on delivery: no statement
        clock.advance(days: 10)
        _ = try await fixture.record("payment", 20_000, customer: company, method: "transfer")
        clock.advance(days: 30)                                                   // 2 December
        _ = try await fixture.order(company, [LineRequest(service: "coat")])       // not on November's statement

        let mailing = try await fixture.accounts.statements.mail(StatementMailingRequest(month: "2026-11"), by: fixture.owner)
        #expect(mailing == StatementMailing(month: "2026-11", customers: 2, queued: 2, alreadySent: 0, alreadyQueued: 0))
        let waiting = try await fixture.accounts.statements.mail(StatementMailingRequest(month: "2026-11"), by: fixture.owner)
        #expect(waiting.queued == 0 && waiting.alreadyQueued == 2, "the first mailing's jobs still wait: not queued twice")
        try await fixture.working(notify: notify) {
            let drained = try await eventually { try await fixture.drained() }
            #expect(drained)
        }
        #expect(smtp.received.count == 1)
        let mail = try #require(smtp.received.first)
        #expect(mail.recipients == ["muhasebe@denizotel.example"])
        let message = MIMEMessage(mail.data)
        #expect(decodedWords(message.header("subject") ?? "").hasSuffix("hesap ekstresi 01.11.2026 – 30.11.2026"))
        #expect(message.header("content-type")?.hasPrefix("multipart/mixed") == true)
        #expect(message.text.contains("Dönem sonu bakiyeniz: 500,00 ₺."), "\(message.text)")
        let attachment = try #require(message.attachments.first)
        #expect(message.attachments.count == 1)
        #expect(attachment.filename == "ekstre-\(company.code)-2026-11.xlsx")
        #expect(attachment.contentType.hasPrefix(StatementWorkbook.contentType))
        let sheet = try Self.sheet(attachment.data)
        #expect(sheet.contains("<v>700.00</v>") && sheet.contains("<v>200.00</v>") && sheet.contains("<v>500.00</v>"), "the charge, the payment, the balance: \(sheet)")
        #expect(!sheet.contains("<v>1000.00</v>") && !sheet.contains("<v>800.00</v>"), "December's order is not on November's statement")

        let skipped = try await notify.messages.list(customerID: noAddress.id, limit: 10, by: fixture.owner)
        #expect(skipped.map(\.status) == [.skipped] && skipped.first?.reason == "no e-mail address", "\(skipped)")
        let log = try await notify.messages.list(customerID: company.id, limit: 10, by: fixture.owner)
        #expect(log.map(\.status) == [.sent] && log.first?.message == "account_statement", "\(log)")

        let again = try await fixture.accounts.statements.mail(StatementMailingRequest(month: "2026-11"), by: fixture.owner)
        #expect(again == StatementMailing(month: "2026-11", customers: 2, queued: 1, alreadySent: 1, alreadyQueued: 0),
                "the one sent is not queued again; the one without an address is tried again")
        try await fixture.working(notify: notify) {
            let drained = try await eventually { try await fixture.drained() }
            #expect(drained)
        }
        #expect(smtp.received.count == 1, "no second copy")
    }

    @Test("a mailing is for accountants, names a real month, and names only customers of the tenant", arguments: [Engine.sqlite])
    func refusals(engine: Engine) async throws {
        let fixture = try await AccountsFixture.make(engine)
        let desk = fixture.tenant.principal(try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk).user)
        await #expect(throws: DomainError.self) {
            _ = try await fixture.accounts.statements.mail(StatementMailingRequest(month: "2026-11"), by: desk)
        }
        for month in ["2026-13", "2026-1", "november", ""] {
            let error = await #expect(throws: DomainError.self) {
                _ = try await fixture.accounts.statements.mail(StatementMailingRequest(month: month), by: fixture.owner)
            }
            #expect(error?.code == .invalidValue, "\(month)")
        }
        let error = await #expect(throws: DomainError.self) {
            _ = try await fixture.accounts.statements.mail(StatementMailingRequest(month: "2026-11", customerIds: [UUID()]), by: fixture.owner)
        }
        #expect(error?.fields.first?.field == "customerIds[0]")
    }

    /// The worksheet of an .xlsx.
    static func sheet(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive["xl/worksheets/sheet1.xml"])
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        return String(decoding: xml, as: UTF8.self)
    }
}
