import SQLKit

/// A row count written into the statement: `… ORDER BY seq \(SQLLimit(50))` is `LIMIT 50`. Not a
/// bound parameter: SQLite marks a bound LIMIT as one that can change the plan, so every run of
/// the statement prepares it twice (once as sent, again when the value is bound), which doubles
/// the parsing and planning of a short read.
public struct SQLLimit: SQLExpression {
    public let count: Int

    public init(_ count: Int) {
        self.count = max(0, count)
    }

    public func serialize(to serializer: inout SQLSerializer) {
        serializer.write("LIMIT \(count)")
    }
}
