import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// A row of `PostgresStore.rows`, read by postgres-nio's own decoders (`PostgresDecodable`) for
/// every type that has one — text, integers, UUIDs, dates, booleans, arrays, and those optional —
/// without the coding path and user-info `Decodable` machinery postgres-kit builds around each
/// column. Any other type (a JSON document decoded into a struct) goes to postgres-kit's row.
/// The values are the same either way: postgres-kit takes the same `PostgresDecodable` path for
/// those types.
struct PostgresRowReader: SQLRow {
    let row: PostgresRow
    let columns: PostgresRandomAccessRow

    init(row: PostgresRow) {
        self.row = row
        self.columns = row.makeRandomAccess()
    }

    var allColumns: [String] { columns.map(\.columnName) }

    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        !columns.contains(column) || columns[column].bytes == nil
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard columns.contains(column) else { throw MissingColumn(column: column) }
        guard let decodable = D.self as? any PostgresDecodable.Type else {
            return try row.sql().decode(column: column, as: D.self)
        }
        let cell = columns[column]
        guard let value = try Self.decode(decodable, from: cell) as? D else {
            throw DecodingError.typeMismatch(D.self, .init(codingPath: [], debugDescription: "column \(column) is not \(D.self)"))
        }
        return value
    }

    private static func decode<T: PostgresDecodable>(_ type: T.Type, from cell: PostgresCell) throws -> T {
        try cell.decode(T.self)
    }

    /// The binds of a statement for postgres-nio, when each has its own `PostgresEncodable` form
    /// (or is nil); nil when one needs postgres-kit's `Encodable` path.
    static func bindings(_ binds: [any Encodable & Sendable]) throws -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if let optional = bind as? any OptionalValue, optional.isNone {
                bindings.appendNull()
            } else if let encodable = bind as? any PostgresThrowingDynamicTypeEncodable {
                try bindings.append(encodable, context: .default)
            } else {
                return nil
            }
        }
        return bindings
    }
}

/// Tells an `Optional.none` bound inside an existential from a value.
private protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}
