import PostgresNIO
import SQLiteNIO

/// Recognises, on either engine, the error a write gets when it breaks a uniqueness constraint.
public enum ConstraintViolation {
    /// Whether `error` is a unique or primary-key violation.
    public static func isUnique(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
        }
        return false
    }
}
