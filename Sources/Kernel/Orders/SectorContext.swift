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
            settings: try await SettingsStore.sectorSettings(module: module, tenantID: principal.tenantID, sql: sql)
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
