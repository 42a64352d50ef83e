import Foundation
import SQLKit

/// Per-tenant sequences (customer numbers, …): gap-free within committed transactions, because the
/// counter row is locked by the increment until the transaction ends.
enum Counters {
    static func next(_ sql: any SQLDatabase, tenantID: UUID, name: String) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO counters (tenant_id, name, value) VALUES (\(bind: tenantID), \(bind: name), 1)
            ON CONFLICT (tenant_id, name) DO UPDATE SET value = counters.value + 1
            RETURNING value
            """).first()
        guard let row else { throw CountersError.noValue(name) }
        return try row.decode(column: "value", as: Int.self)
    }

    /// A counter value as people read it: a prefix and the number padded with zeros to `width`
    /// digits (`C00042`); longer numbers keep all their digits.
    static func code(_ prefix: String, _ value: Int, width: Int) -> String {
        let digits = String(value)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    enum CountersError: Error { case noValue(String) }
}
