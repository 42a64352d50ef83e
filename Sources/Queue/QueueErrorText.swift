import PostgresNIO

/// An error as the queue's logs write it. postgres-nio describes its errors in one generic
/// sentence, to keep bound values out of logs; the server's code and message say what happened
/// (`40P01 deadlock detected`) without those values, which only the error's detail would carry.
enum QueueErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        guard let code = error.serverInfo?[.sqlState] else { return "PostgreSQL: \(error.code)" }
        return "PostgreSQL \(code): \(error.serverInfo?[.message] ?? "")"
    }
}
