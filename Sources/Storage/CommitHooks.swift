import Logging
import NIOCore
import SQLKit
import Synchronization

/// Work to do once a transaction has committed, and only then (a worker woken for a job the
/// transaction enqueued). Registered through the transaction's `SQLDatabase`.
public final class CommitHooks: Sendable {
    private let hooks = Mutex<[@Sendable () -> Void]>([])

    init() {}

    func add(_ hook: @escaping @Sendable () -> Void) {
        hooks.withLock { $0.append(hook) }
    }

    /// Runs the hooks (after COMMIT returned), once.
    func run() {
        for hook in hooks.withLock({ list in defer { list.removeAll() }; return list }) { hook() }
    }
}

extension SQLDatabase {
    /// Runs `hook` after the transaction this database belongs to commits; at once when it
    /// belongs to none (a statement that committed on its own). Never when it rolls back.
    public func afterCommit(_ hook: @escaping @Sendable () -> Void) {
        if let transaction = self as? TransactionSQL {
            transaction.hooks.add(hook)
        } else {
            hook()
        }
    }
}

/// The SQL of one transaction: the connection's, with the transaction's commit hooks.
struct TransactionSQL: SQLDatabase {
    let base: any SQLDatabase
    let hooks: CommitHooks

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
