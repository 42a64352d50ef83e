import PostgresNIO

/// Recognises the errors PostgreSQL ends a transaction with when it collides with another one
/// (a deadlock, a serialization failure): the transaction did nothing, and running it again is
/// the documented answer. SQLite, with one writer at a time, has none.
public enum TransactionConflict {
    public static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let code = error.serverInfo?[.sqlState] else { return false }
        return code == "40P01" || code == "40001"
    }
}
