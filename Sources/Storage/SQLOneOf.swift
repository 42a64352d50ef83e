import SQLKit

/// Membership in a list of values: `… WHERE id \(SQLOneOf(ids))`. On PostgreSQL `= ANY($1)` with
/// the whole list as one array parameter (one bind to encode, parse and plan however long the
/// list); elsewhere `IN (?, ?, …)`. The list must not be empty.
public struct SQLOneOf<Value: Encodable & Sendable>: SQLExpression {
    public let values: [Value]

    public init(_ values: [Value]) {
        precondition(!values.isEmpty, "membership in an empty list")
        self.values = values
    }

    public func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write(" = ANY(")
            serializer.write(bind: values)
            serializer.write(")")
        } else {
            serializer.write(" IN (")
            for (index, value) in values.enumerated() {
                if index > 0 { serializer.write(", ") }
                serializer.write(bind: value)
            }
            serializer.write(")")
        }
    }
}
