/// Reads a stored code back as its type, failing loudly on a value this build does not know
/// (a newer version wrote it, or the row was edited by hand) instead of guessing a default.
public enum StoredValue {
    public static func parse<T: RawRepresentable>(_ type: T.Type, _ raw: String, column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw UnknownStoredValue(column: column, value: raw) }
        return value
    }
}

/// A stored code that no case of its type matches.
struct UnknownStoredValue: Error, CustomStringConvertible {
    let column: String
    let value: String
    var description: String { "\(column) holds '\(value.prefix(40))', which this version does not know" }
}
