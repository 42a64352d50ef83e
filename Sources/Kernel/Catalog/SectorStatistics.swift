import Contracts
import Foundation
import SQLKit
import Storage

/// One of a sector's figures over a period.
public struct StatisticResult: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        public let key: String
        public let count: Int
        public let amount: Money?
    }

    public let id: String
    public let name: LocalizedText
    public let kind: String
    public var entries: [Entry]?
    public var numerator: Int?
    public var denominator: Int?
    /// `numerator ÷ denominator` with two decimals; nil when the denominator is zero.
    public var ratio: String?
    /// Square metres with two decimals.
    public var squareMetres: String?
}

/// Computes the statistics a sector module declares (F10's sector views) over the items of the
/// orders taken in a period, cancelled items left out, within the caller's branch scope.
public struct SectorStatistics: Sendable {
    let database: any Database
    let registry: ModuleRegistry

    public func compute(from: Date, to: Date, by principal: Principal) async throws -> [StatisticResult] {
        try principal.require(.readOrders)
        guard from < to else { throw DomainError.invalid("to", .invalidParameter, "to must be after from.") }
        let module = try registry.require(principal.sector)
        let scope = RowScope(principal)
        let rows = try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT i.service_code, i.quantity, i.width_cm, i.length_cm, i.unit, i.total, i.attributes
                FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
                WHERE i.tenant_id = \(bind: principal.tenantID) AND o.created_at >= \(bind: from) AND o.created_at < \(bind: to)
                  AND i.stage <> \(bind: Workflow.cancelled) \(scope.orderFilter)
                """).all().map { row in
                    Row(service: try row.decode(column: "service_code", as: String.self),
                        quantity: try row.decode(column: "quantity", as: Int.self),
                        area: try row.decode(column: "unit", as: String.self) == PricingUnit.squareMetre.rawValue
                            ? (try row.decode(column: "width_cm", as: Int?.self) ?? 0) * (try row.decode(column: "length_cm", as: Int?.self) ?? 0)
                            : 0,
                        total: Money(minorUnits: try row.decode(column: "total", as: Int.self)),
                        attributes: try StoredJSON.decode([String: String].self, from: row.decode(column: "attributes", as: String.self)))
                }
        }
        return module.statistics.map { Self.result($0, rows) }
    }

    struct Row {
        let service: String
        let quantity: Int
        let area: Int
        let total: Money
        let attributes: [String: String]
    }

    static func result(_ statistic: SectorStatistic, _ rows: [Row]) -> StatisticResult {
        func grouped(_ key: (Row) -> String?) -> [StatisticResult.Entry] {
            var counts: [String: (Int, Money)] = [:]
            for row in rows {
                guard let key = key(row) else { continue }
                let current = counts[key] ?? (0, .zero)
                counts[key] = (current.0 + row.quantity, current.1 + row.total)
            }
            return counts.sorted { $0.value.0 != $1.value.0 ? $0.value.0 > $1.value.0 : $0.key < $1.key }
                .map { StatisticResult.Entry(key: $0.key, count: $0.value.0, amount: $0.value.1) }
        }
        var result = StatisticResult(id: statistic.id, name: statistic.name, kind: "")
        switch statistic.measure {
        case .itemsByService:
            result = StatisticResult(id: statistic.id, name: statistic.name, kind: "items_by_service", entries: grouped { $0.service })
        case .revenueByService:
            let entries = grouped { $0.service }.sorted { $0.amount! > $1.amount! }
            result = StatisticResult(id: statistic.id, name: statistic.name, kind: "revenue_by_service", entries: entries)
        case .areaTotal:
            let square = rows.reduce(0) { $0 + $1.area * $1.quantity }
            result = StatisticResult(id: statistic.id, name: statistic.name, kind: "area_total",
                                     squareMetres: fixedTwoDecimals(square, over: 10_000))
        case .ratio(let numeratorCodes, let denominatorCodes):
            let numerator = rows.filter { numeratorCodes.contains($0.service) }.reduce(0) { $0 + $1.quantity }
            let denominator = rows.filter { denominatorCodes.contains($0.service) }.reduce(0) { $0 + $1.quantity }
            result = StatisticResult(id: statistic.id, name: statistic.name, kind: "ratio", numerator: numerator, denominator: denominator,
                                     ratio: denominator == 0 ? nil : fixedTwoDecimals(numerator, over: denominator))
        case .attributeMix(let key):
            result = StatisticResult(id: statistic.id, name: statistic.name, kind: "attribute_mix", entries: grouped { $0.attributes[key] })
        }
        return result
    }
}

/// `numerator ÷ denominator` written with two decimals, rounded half away from zero.
private func fixedTwoDecimals(_ numerator: Int, over denominator: Int) -> String {
    // Money is a fixed-point number with two decimals; its rounding and printing serve here too.
    Money(minorUnits: numerator).scaled(by: 100, over: denominator).description
}
