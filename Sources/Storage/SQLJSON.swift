import SQLKit

/// A bound JSON document: `jsonb` on PostgreSQL, text on SQLite. Interpolate it into raw SQL:
/// `INSERT … VALUES (\(SQLJSON(text)))`.
public struct SQLJSON: SQLExpression {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write("CAST(")
            serializer.write(bind: text)
            serializer.write(" AS jsonb)")
        } else {
            serializer.write(bind: text)
        }
    }
}
