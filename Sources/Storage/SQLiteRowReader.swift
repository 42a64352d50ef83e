import Foundation
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A row of `SQLiteStore.rows`, read without sql-kit's `Decodable` machinery for the types rows
/// hold most (text, integers, UUIDs, dates, and those optional); any other type goes to
/// sqlite-kit's own decoder. The values are the same either way: sqlite-nio's
/// `SQLiteDataConvertible` conversions, which that decoder uses too, and UUIDs from the text
/// sql-kit binds them as.
struct SQLiteRowReader: SQLRow {
    let row: SQLiteRow

    static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { row.columns.map(\.name) }

    func contains(column: String) -> Bool { row.column(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let data = row.column(column) else { return true }
        return data == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = row.column(column) else { throw MissingColumn(column: column) }
        let value: Any?
        switch type {
        case is String.Type: value = String(sqliteData: data)
        case is Int.Type: value = Int(sqliteData: data)
        case is Int64.Type: value = Int64(sqliteData: data)
        case is Date.Type: value = Date(sqliteData: data)
        case is UUID.Type:
            guard case .text(let text) = data else { return try Self.decoder.decode(D.self, from: data) }
            value = UUIDText.parse(text)
        case is String?.Type: value = data == .null ? String?.none as Any : String(sqliteData: data).map { String?.some($0) }
        case is Int?.Type: value = data == .null ? Int?.none as Any : Int(sqliteData: data).map { Int?.some($0) }
        case is Date?.Type: value = data == .null ? Date?.none as Any : Date(sqliteData: data).map { Date?.some($0) }
        case is UUID?.Type:
            if data == .null { value = UUID?.none as Any; break }
            guard case .text(let text) = data else { return try Self.decoder.decode(D.self, from: data) }
            value = UUIDText.parse(text).map { UUID?.some($0) }
        default:
            return try Self.decoder.decode(D.self, from: data)
        }
        guard let typed = value as? D else {
            throw DecodingError.typeMismatch(D.self, .init(codingPath: [], debugDescription: "Could not convert SQLite data to \(D.self): \(data)."))
        }
        return typed
    }
}

struct MissingColumn: Error, CustomStringConvertible {
    let column: String
    var description: String { "no column \(column) in the row" }
}
