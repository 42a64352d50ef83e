/// A fixed set of connections handed out one caller at a time, first come first served.
actor ConnectionPool<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, Never>] = []

    init(_ connections: [Connection]) {
        precondition(!connections.isEmpty, "a pool needs at least one connection")
        self.idle = connections
    }

    func acquire() async -> Connection {
        if let connection = idle.popLast() {
            return connection
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ connection: Connection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
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
    nonisolated func with<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }
}
