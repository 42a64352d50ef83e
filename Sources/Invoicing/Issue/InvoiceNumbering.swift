import Foundation
import SQLKit

/// Invoice numbers as GİB prescribes them: a 3-character series, the year, a 9-digit sequence
/// (`ABC2026000000001`). The sequence is taken inside the issuing transaction; the counter row
/// stays locked until it commits (on PostgreSQL the upsert's row lock, on SQLite the single
/// writer), so concurrent issues queue on it and a rolled-back issue gives its number back: no
/// gaps, no duplicates.
enum InvoiceNumbering {
    static let sequenceDigits = 9
    static let largestSequence = 999_999_999

    static func next(series: String, year: Int, tenantID: UUID, sql: any SQLDatabase) async throws -> (seq: Int, number: String) {
        let row = try await sql.raw("""
            INSERT INTO invoice_counters (tenant_id, series, year, value) VALUES (\(bind: tenantID), \(bind: series), \(bind: year), 1)
            ON CONFLICT (tenant_id, series, year) DO UPDATE SET value = invoice_counters.value + 1
            RETURNING value
            """).first()
        guard let seq = try row?.decode(column: "value", as: Int.self) else { throw NumberingError.noValue }
        guard seq <= largestSequence else { throw NumberingError.exhausted(series) }
        return (seq, number(series: series, year: year, seq: seq))
    }

    static func number(series: String, year: Int, seq: Int) -> String {
        let digits = String(seq)
        return series + String(year) + String(repeating: "0", count: sequenceDigits - digits.count) + digits
    }

    enum NumberingError: Error { case noValue, exhausted(String) }
}
