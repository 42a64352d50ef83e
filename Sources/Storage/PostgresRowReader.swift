import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// A row of `PostgresStore.rows`, read by postgres-nio's own decoders (`PostgresDecodable`) for
/// every type that has one — text, integers, UUIDs, dates, booleans, arrays, and those optional —
/// without the coding path and user-info `Decodable` machinery postgres-kit builds around each
/// column. Postgres-kit takes the same `PostgresDecodable` path for those types, so the values are
/// the same. The rest goes to postgres-kit's row: other types (a JSON document decoded into a
/// struct), and the cases postgres-kit adjusts before decoding (a user-defined column type, a
/// `Decimal` or `Double`).
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
        let cell = columns[column]
        if !cell.dataType.isUserDefined, let value = try Self.common(cell, as: D.self) { return value }
        guard let decodable = D.self as? any PostgresDecodable.Type, !cell.dataType.isUserDefined, !Self.adjusted(D.self) else {
            return try row.sql().decode(column: column, as: D.self)
        }
        guard let value = try Self.decode(decodable, from: cell) as? D else {
            throw DecodingError.typeMismatch(D.self, .init(codingPath: [], debugDescription: "column \(column) is not \(D.self)"))
        }
        return value
    }

    /// The types most columns are read as, decoded as the general path below decodes them but
    /// found by comparing types rather than by a dynamic cast to a protocol and back (a row of
    /// twenty columns took that cast forty times); nil for any other type.
    @inline(__always)
    private static func common<D>(_ cell: PostgresCell, as type: D.Type) throws -> D? {
        if let value = try exactly(cell, String.self, as: D.self) { return value }
        if let value = try exactly(cell, String?.self, as: D.self) { return value }
        if let value = try exactly(cell, UUID.self, as: D.self) { return value }
        if let value = try exactly(cell, UUID?.self, as: D.self) { return value }
        if let value = try exactly(cell, Int.self, as: D.self) { return value }
        if let value = try exactly(cell, Int?.self, as: D.self) { return value }
        if let value = try exactly(cell, Date.self, as: D.self) { return value }
        if let value = try exactly(cell, Date?.self, as: D.self) { return value }
        if let value = try exactly(cell, Bool.self, as: D.self) { return value }
        if let value = try exactly(cell, Bool?.self, as: D.self) { return value }
        return nil
    }

    @inline(__always)
    private static func exactly<T: PostgresDecodable, D>(_ cell: PostgresCell, _: T.Type, as: D.Type) throws -> D? {
        guard D.self == T.self else { return nil }
        return unsafeBitCast(try cell.decode(T.self), to: D.self)
    }

    /// The types postgres-kit reads differently from postgres-nio (numbers from text or `numeric`).
    private static func adjusted(_ type: Any.Type) -> Bool {
        type == Decimal.self || type == Decimal?.self || type == Double.self || type == Double?.self
    }

    private static func decode<T: PostgresDecodable>(_ type: T.Type, from cell: PostgresCell) throws -> T {
        try cell.decode(T.self)
    }

    /// The binds of a statement for postgres-nio, when each has its own `PostgresEncodable` form;
    /// nil when one needs postgres-kit's path: a value without that form, or a nil, which
    /// postgres-kit binds as a NULL of the optional's type (postgres-nio's would have none, and
    /// `$1 IS NULL` could not tell its type).
    static func bindings(_ binds: [any Encodable & Sendable]) throws -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if let optional = bind as? any OptionalValue, optional.isNone {
                return nil
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
