import Accounts
import Contracts
import Foundation
import FoundationXML
import Kernel
import Storage
import Testing
import TestSupport
import ZIPFoundation

@Suite("The statement as an Excel workbook")
struct StatementWorkbookTests {
    static func statement(_ engine: Engine) async throws -> (AccountStatement, AccountsFixture) {
        let fixture = try await AccountsFixture.make(engine)
        let customer = try await fixture.tenant.customer(fixture.kernel, name: "Işık & Oğul <Tekstil>")
        _ = try await fixture.order(customer, [LineRequest(service: "coat", quantity: 3)])
        _ = try await fixture.record("payment", 50_050, customer: customer, method: "cash")
        _ = try await fixture.record("adjustment", 1_234_567, customer: customer, direction: "debit", reason: "eski borç \"devir\"")
        let statement = try await fixture.accounts.ledger.statement(customerID: customer.id, from: Date().addingTimeInterval(-3_600),
                                                                    to: Date().addingTimeInterval(60), by: fixture.owner)
        return (statement, fixture)
    }

    @Test("a zip package with the parts SpreadsheetML asks for, each well-formed XML")
    func package() async throws {
        let (statement, _) = try await Self.statement(.sqlite)
        let data = try StatementWorkbook.xlsx(statement, timeZone: TimeZone(identifier: "Europe/Istanbul")!)
        let archive = try Archive(data: data, accessMode: .read)
        let names = Set(archive.map(\.path))
        #expect(names == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"])
        for entry in archive {
            var content = Data()
            _ = try archive.extract(entry) { content.append($0) }
            #expect(XMLParser(data: content).parse(), "\(entry.path) is well-formed")
        }
    }

    @Test("openpyxl reads it: the title, every entry, amounts as numbers in lira, the closing balance",
          .enabled(if: ProcessInfo.processInfo.environment["CRM_TEST_PYTHON"] != nil))
    func readByOpenpyxl() async throws {
        let (statement, _) = try await Self.statement(.sqlite)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ekstre-\(UUID().uuidString).xlsx")
        try StatementWorkbook.xlsx(statement, timeZone: TimeZone(identifier: "Europe/Istanbul")!).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, data) = try await runProcess(ProcessInfo.processInfo.environment["CRM_TEST_PYTHON"]!, ["-c", """
            import json, sys, openpyxl
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            print(json.dumps([[cell.value for cell in row] for row in sheet.iter_rows()], default=str))
            """, file.path])
        #expect(status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[Any?]])
        #expect((rows[0][0] as? String) == "Hesap ekstresi: Işık & Oğul <Tekstil> (\(statement.customerCode))")
        #expect(rows[3].compactMap { $0 as? String } == ["Tarih", "Hareket", "Açıklama", "Borç", "Alacak", "Bakiye"])
        let lines = rows[5..<(5 + statement.lines.count)]
        #expect(lines.map { $0[1] as? String } == ["Sipariş", "Ödeme", "Düzeltme kaydı"])
        #expect(lines.map { ($0[5] as? NSNumber)?.doubleValue } == [1_200, 699.5, 13_045.17])
        #expect((lines.last?[2] as? String) == "eski borç \"devir\"")
        #expect((rows.last?[5] as? NSNumber)?.doubleValue == 13_045.17)
        #expect((rows.last?[3] as? NSNumber)?.doubleValue == 13_545.67 && (rows.last?[4] as? NSNumber)?.doubleValue == 500.5)
    }
}
