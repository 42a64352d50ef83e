/// Reads a stored code of the notification tables back as its type, failing loudly on one this
/// build does not know instead of guessing.
enum NotifyValue {
    static func parse<T: RawRepresentable>(_ type: T.Type, _ raw: String, column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw UnknownNotifyValue(column: column, value: raw) }
        return value
    }
}

struct UnknownNotifyValue: Error, CustomStringConvertible {
    let column: String
    let value: String
    var description: String { "\(column) holds '\(value.prefix(40))', which this version does not know" }
}
