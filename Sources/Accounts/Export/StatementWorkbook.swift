import Contracts
import Foundation
import Kernel
import ZIPFoundation

/// A statement as an Excel workbook (.xlsx): real SpreadsheetML in its zip package — the content
/// types, the relationships, a workbook with one sheet, and the styles that show amounts with two
/// decimals. Strings are written inline (no shared-strings part); amounts are numbers in lira,
/// exact from the kuruş; dates are the tenant's local time as text.
public enum StatementWorkbook {
    public struct Labels: Sendable {
        public var title = "Hesap ekstresi"
        public var period = "Dönem"
        public var columns = ["Tarih", "Hareket", "Açıklama", "Borç", "Alacak", "Bakiye"]
        public var opening = "Devreden bakiye"
        public var closing = "Dönem sonu bakiye"
        public var kinds: [AccountEntry.Kind: String] = [
            .charge: "Sipariş", .payment: "Ödeme", .refund: "İade (ödeme)", .return: "İade (ürün)", .discount: "İndirim",
            .storageFee: "Bekletme ücreti", .adjustment: "Düzeltme kaydı", .correction: "İptal kaydı",
        ]

        public init() {}
    }

    public static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public static func xlsx(_ statement: AccountStatement, timeZone: TimeZone, labels: Labels = Labels()) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts(statement, timeZone: timeZone, labels: labels) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
            }
        }
        return archive.data ?? Data()
    }

    static func parts(_ statement: AccountStatement, timeZone: TimeZone, labels: Labels) -> [(String, String)] {
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
        let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        return [
            ("[Content_Types].xml", header + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
                </Types>
                """),
            ("_rels/.rels", header + """
                <Relationships xmlns="\(relationships)">\
                <Relationship Id="rId1" Type="\(officeRelationships)/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", header + """
                <workbook xmlns="\(main)" xmlns:r="\(officeRelationships)"><sheets><sheet name="Ekstre" sheetId="1" r:id="rId1"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", header + """
                <Relationships xmlns="\(relationships)">\
                <Relationship Id="rId1" Type="\(officeRelationships)/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="\(officeRelationships)/styles" Target="styles.xml"/>\
                </Relationships>
                """),
            // Style 0 is the default, 1 bold, 2 an amount with two decimals, 3 a bold amount.
            ("xl/styles.xml", header + """
                <styleSheet xmlns="\(main)">\
                <numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>\
                <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
                <xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs>\
                </styleSheet>
                """),
            ("xl/worksheets/sheet1.xml", header + sheet(statement, timeZone: timeZone, labels: labels, namespace: main)),
        ]
    }

    static func sheet(_ statement: AccountStatement, timeZone: TimeZone, labels: Labels, namespace: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "tr_TR")
        formatter.timeZone = timeZone
        formatter.dateFormat = "dd.MM.yyyy HH:mm"
        var rows: [[Cell]] = [
            [.text("\(labels.title): \(statement.customerName) (\(statement.customerCode))", bold: true)],
            [.text("\(labels.period): \(formatter.string(from: statement.from)) – \(formatter.string(from: statement.to))")],
            [],
            labels.columns.map { .text($0, bold: true) },
            [.text(""), .text(labels.opening, bold: true), .text(""), .text(""), .text(""), .amount(statement.openingBalance, bold: true)],
        ]
        for line in statement.lines {
            let amount = line.entry.amount.minorUnits
            rows.append([.text(formatter.string(from: line.entry.occurredAt)), .text(labels.kinds[line.entry.kind] ?? line.entry.kind.rawValue),
                         .text(line.entry.reason ?? ""), amount > 0 ? .amount(line.entry.amount) : .text(""),
                         amount < 0 ? .amount(Money(minorUnits: -amount)) : .text(""), .amount(line.balance)])
        }
        rows.append([.text(""), .text(labels.closing, bold: true), .text(""), .amount(statement.debits, bold: true),
                     .amount(statement.credits, bold: true), .amount(statement.closingBalance, bold: true)])
        var xml = "<worksheet xmlns=\"\(namespace)\"><cols><col min=\"1\" max=\"1\" width=\"18\" customWidth=\"1\"/>"
            + "<col min=\"2\" max=\"2\" width=\"18\" customWidth=\"1\"/><col min=\"3\" max=\"3\" width=\"44\" customWidth=\"1\"/>"
            + "<col min=\"4\" max=\"6\" width=\"14\" customWidth=\"1\"/></cols><sheetData>"
        for (index, row) in rows.enumerated() {
            xml += "<row r=\"\(index + 1)\">"
            for (column, cell) in row.enumerated() {
                xml += cell.xml(reference: "\(Character(UnicodeScalar(UInt8(65 + column))))\(index + 1)")
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    enum Cell {
        case text(String, bold: Bool = false)
        case amount(Money, bold: Bool = false)

        func xml(reference: String) -> String {
            switch self {
            case .text(let text, let bold):
                return "<c r=\"\(reference)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t xml:space=\"preserve\">\(MarkupText.escaped(text))</t></is></c>"
            case .amount(let money, let bold):
                return "<c r=\"\(reference)\" s=\"\(bold ? 3 : 2)\"><v>\(money.description)</v></c>"
            }
        }
    }
}
