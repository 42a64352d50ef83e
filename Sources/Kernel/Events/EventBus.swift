import Contracts
import Foundation
import Queue
import SQLKit
import Storage

/// Publishes order events: each is kept in the outbox table (`domain_events`) and handed to every
/// registered subscriber, all in the caller's transaction.
public struct EventBus: Sendable {
    let subscribers: [any OrderEventSubscriber]
    let queue: JobQueue

    public init(subscribers: [any OrderEventSubscriber], queue: JobQueue) {
        self.subscribers = subscribers
        self.queue = queue
    }

    func publish(_ events: [OrderEvent], sql: any SQLDatabase) async throws {
        let context = EventContext(sql: sql, queue: queue)
        for (ordinal, event) in events.enumerated() {
            try await sql.raw("""
                INSERT INTO domain_events (tenant_id, id, kind, entity, entity_id, payload, occurred_at, ordinal)
                VALUES (\(bind: event.tenantId), \(bind: UUID()), \(bind: event.name), 'order', \(bind: event.orderId.uuidString),
                        \(SQLJSON(try StoredJSON.encode(event))), \(bind: event.occurredAt), \(bind: ordinal))
                """).run()
            for subscriber in subscribers {
                try await subscriber.handle(event, context: context)
            }
        }
    }
}
