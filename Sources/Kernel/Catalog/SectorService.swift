import Contracts
import Foundation
import SQLKit
import Storage

/// The tenant's view of its sector: catalog with its own prices, settings, workflow, statistics.
public struct SectorService: Sendable {
    let database: any Database
    let registry: ModuleRegistry
    let clock: Clock

    public func catalog(_ principal: Principal) async throws -> [TenantCatalogItem] {
        let module = try registry.require(principal.sector)
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await TenantCatalog.load(module: module, tenantID: principal.tenantID, sql: sql)
        }
    }

    /// Changes a price, VAT rate, name or availability, or adds a service of the tenant's own.
    public func changeCatalog(_ code: String, _ change: CatalogChange, by principal: Principal) async throws -> TenantCatalogItem {
        try principal.require(.manageCatalog)
        let module = try registry.require(principal.sector)
        let now = clock.now()
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let (before, after) = try await TenantCatalog.change(code, change, module: module, tenantID: principal.tenantID, at: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: nil, actor: principal.actor, action: "catalog.change",
                                      entity: "catalog_item", entityID: code, before: before, after: after, at: now)
            return after
        }
    }

    public func workflow(_ principal: Principal) throws -> WorkflowView {
        WorkflowView(try registry.require(principal.sector))
    }

    public func lineAttributes(_ principal: Principal) throws -> [LineAttribute] {
        try registry.require(principal.sector).lineAttributes
    }
}

/// A sector's workflow as screens and integrators read it.
public struct WorkflowView: Sendable, Encodable {
    public struct Stage: Sendable, Encodable {
        public let id: String
        public let name: LocalizedText
        public let fieldWork: Bool
        public let next: [String]
        public let notifies: Bool
        public let cancellable: Bool
    }

    public let sector: String
    public let stages: [Stage]
    public let initialStage: String
    public let readyStage: String
    public let deliveredStage: String
    public let reworkStage: String
    public let turnaroundHours: Int
    /// Stages every sector has, reached by cancel and return rather than by scans.
    public let kernelStages: [String]
    public let tagPrefix: String

    init(_ module: any SectorModule) {
        let workflow = module.workflow
        sector = module.identity.id
        stages = workflow.stages.map {
            Stage(id: $0.id, name: $0.name, fieldWork: $0.fieldWork, next: workflow.next(from: $0.id),
                  notifies: workflow.notifyingStages.contains($0.id), cancellable: workflow.cancellableStages.contains($0.id))
        }
        initialStage = workflow.initialStage
        readyStage = workflow.readyStage
        deliveredStage = workflow.deliveredStage
        reworkStage = workflow.reworkStage
        turnaroundHours = workflow.turnaroundHours
        kernelStages = [Workflow.cancelled, Workflow.returned]
        tagPrefix = module.tagFormat.prefix
    }
}
