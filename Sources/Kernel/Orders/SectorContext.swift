import Contracts
import Foundation
import SQLKit
import Storage

/// Everything of a tenant's sector that pricing and tracking need, read inside a transaction.
struct SectorContext {
    let module: any SectorModule
    let catalog: [String: TenantCatalogItem]
    let settings: SectorSettings

    static func load(_ principal: Principal, registry: ModuleRegistry, sql: any SQLDatabase) async throws -> SectorContext {
        let module = try registry.require(principal.sector)
        let items = try await TenantCatalog.load(module: module, tenantID: principal.tenantID, sql: sql)
        return SectorContext(
            module: module,
            catalog: Dictionary(items.map { ($0.item.code, $0) }, uniquingKeysWith: { first, _ in first }),
            settings: try await SectorSettingsStore.load(module: module, tenantID: principal.tenantID, sql: sql)
        )
    }

    var workflow: Workflow { module.workflow }

    func pricing(_ terms: PriceTerms) -> OrderPricing {
        OrderPricing(module: module, catalog: catalog, terms: terms, settings: settings)
    }

    /// The module's order-level adjustments for the items still counted.
    func adjustments(for items: [OrderItem]) -> [OrderAdjustment] {
        module.adjustments(
            for: items.filter { $0.stage != Workflow.cancelled }.map {
                LineTotal(service: $0.service, group: $0.group, total: $0.total, vatRate: $0.vatRate)
            },
            settings: settings
        )
    }
}

/// The outbox: things that happened, written in the transaction that made them happen, for the
/// queue to turn into notifications and other later work.
enum DomainEvents {
    struct StageChange: Encodable {
        let orderId: UUID
        let number: String
        let customerId: UUID
        let from: String?
        let to: String
        let notify: Bool
    }

    static func stageChanged(
        order: (id: UUID, number: String, customerID: UUID), from: String?, to: String, workflow: Workflow,
        tenantID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws {
        guard from != to, workflow.notifyingStages.contains(to) else { return }
        let payload = StageChange(orderId: order.id, number: order.number, customerId: order.customerID, from: from, to: to, notify: true)
        try await sql.raw("""
            INSERT INTO domain_events (tenant_id, id, kind, entity, entity_id, payload, occurred_at)
            VALUES (\(bind: tenantID), \(bind: UUID()), 'order.stage_changed', 'order', \(bind: order.id.uuidString),
                    \(SQLJSON(try StoredJSON.encode(payload))), \(bind: now))
            """).run()
    }
}
