import Contracts
import Foundation
import Kernel
import SQLKit

/// A customer's own "stop" (an SMS or WhatsApp reply of RET, IPTAL or STOP, as İYS asks brands
/// to honour), turned into withdrawn commercial consent at once.
enum OptOut {
    static let keywords: Set<String> = ["ret", "iptal", "stop"]

    /// Whether a reply's first word is an opt-out keyword (any case, Turkish letters or not: "İptal", "RET MARKA").
    static func isOptOut(_ text: String) -> Bool {
        let first = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map(String.init) ?? ""
        let folded = TurkishText.fold(first).filter { $0.isLetter }
        return keywords.contains(folded)
    }

    /// Withdraws commercial consent on `channel` for every customer of the tenant with this phone;
    /// returns how many cards changed.
    static func apply(phone: String, channel: MessageChannel, source: ConsentSource, text: String, tenantID: UUID,
                      at now: Date, sql: any SQLDatabase) async throws -> Int {
        let customers = try await sql.raw("""
            SELECT DISTINCT p.customer_id FROM customer_phones p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
            WHERE p.tenant_id = \(bind: tenantID) AND p.number = \(bind: phone) AND c.deleted_at IS NULL
            """).all().map { try $0.decode(column: "customer_id", as: UUID.self) }
        for customer in customers {
            try await ConsentService.withdraw([.commercial], channel: channel, customerID: customer, tenantID: tenantID, source: source,
                                              note: "reply: \(text.prefix(60))", at: now, sql: sql)
        }
        return customers.count
    }
}
