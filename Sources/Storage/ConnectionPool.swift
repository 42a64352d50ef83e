import Synchronization

/// A fixed set of connections handed out one caller at a time, first come first served.
///
/// A lock, not an actor: taking an idle connection and giving it back are a few instructions, and
/// an actor would add two executor hops to every statement.
final class ConnectionPool<Connection: Sendable>: Sendable {
    private struct State: ~Copyable {
        var idle: [Connection]
        var waiters: [CheckedContinuation<Connection, Never>] = []
    }

    private let state: Mutex<State>

    init(_ connections: [Connection]) {
        precondition(!connections.isEmpty, "a pool needs at least one connection")
        state = Mutex(State(idle: connections))
    }

    func acquire() async -> Connection {
        if let connection = state.withLock({ $0.idle.popLast() }) {
            return connection
        }
        return await withCheckedContinuation { continuation in
            // A connection may have come back between the first look and now.
            let ready = state.withLock { state -> Connection? in
                if let connection = state.idle.popLast() { return connection }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func release(_ connection: Connection) {
        let waiter = state.withLock { state -> CheckedContinuation<Connection, Never>? in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }

    /// Takes every connection (waiting for those in use) so that they can be closed.
    func drain(count: Int) async -> [Connection] {
        var taken: [Connection] = []
        while taken.count < count {
            taken.append(await acquire())
        }
        return taken
    }

    /// Runs `body` with a connection held exclusively for its duration.
    func with<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = await acquire()
        defer { release(connection) }
        return try await body(connection)
    }
}
