import SQLKit

/// A database the product stores its data in: SQLite or PostgreSQL behind one `SQLDatabase` API.
///
/// All access goes through a transaction with an `AccessScope`; the closure gets an `SQLDatabase`
/// bound to that transaction's connection and must not keep it beyond the call.
public protocol Database: Sendable {
    var engine: Engine { get }

    /// Runs `work` in one read-write transaction; commits when it returns, rolls back when it throws.
    func transaction<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T

    /// Runs `work` in one read-only transaction (a consistent snapshot).
    func read<T: Sendable>(
        _ scope: AccessScope,
        _ work: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T

    /// Runs one statement on its own and returns its rows: the fast path of a read that needs one
    /// statement. A single statement sees one consistent snapshot, so no transaction is opened
    /// around it; the scope applies as it does to `read` (on PostgreSQL, row-level security).
    func rows(_ scope: AccessScope, _ statement: SQLQueryString) async throws -> [any SQLRow]

    /// How many committed transactions of this process have changed `table`, when this process
    /// makes every change the database gets (SQLite: one process serves from a file); nil when
    /// other processes write it too (PostgreSQL), and only the database can tell.
    func localChanges(of table: String) -> UInt64?

    /// Throws unless the database answers a trivial query.
    func checkReachable() async throws

    /// Closes every connection. Later calls fail.
    func close() async
}
