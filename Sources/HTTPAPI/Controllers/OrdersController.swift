import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore

/// Orders (F5): quotes, intake, lists, cancelling, measurement corrections, printable labels.
struct OrdersController {
    let kernel: Kernel
    let settings: APISettings

    struct Reason: Decodable {
        let reason: String?
    }

    struct Measurements: Decodable {
        let widthCm: Int?
        let lengthCm: Int?
        let reason: String?
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.post("orders/quote") { request, context in
            let draft = try await JSONBody.decode(OrderDraft.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.orders.quote(draft, by: context.principal))
        }
        api.post("orders") { request, context in
            let draft = try await JSONBody.decode(OrderDraft.self, from: request, limit: settings.maximumBodyBytes)
            let order = try await kernel.orders.create(draft, by: context.principal)
            return try JSONBody.response(order, status: .created, headers: [
                .eTag: entityTag(order.version), .location: "/api/v1/orders/\(order.id.uuidString.lowercased())",
            ])
        }
        api.get("orders") { request, context in
            let query = OrderService.Query(
                customerID: try request.queryUUID("customerId"), stage: request.query("stage"), branchID: try request.queryUUID("branchId")
            )
            let page = try PageRequest(limit: try request.queryInt("limit"), cursor: request.queryGiven("cursor"))
            return try JSONBody.response(try await kernel.orders.list(query, page: page, by: context.principal))
        }
        api.get("orders/:id") { _, context in
            let order = try await kernel.orders.get(try context.id(of: "The order"), by: context.principal)
            return try JSONBody.response(order, headers: [.eTag: entityTag(order.version)])
        }
        api.post("orders/:id/cancel") { request, context in
            let id = try context.id(of: "The order")
            let body = try await JSONBody.decode(Reason.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.orders.cancel(id, reason: body.reason, by: context.principal))
        }
        api.patch("orders/:id/items/:itemId") { request, context in
            let id = try context.id(of: "The order")
            let itemID = try context.id("itemId", of: "The item")
            let body = try await JSONBody.decode(Measurements.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.orders.correctMeasurements(
                orderID: id, itemID: itemID, widthCm: body.widthCm, lengthCm: body.lengthCm, reason: body.reason, by: context.principal
            ))
        }
        api.get("orders/:id/labels") { request, context in
            let principal = context.principal
            let order = try await kernel.orders.get(try context.id(of: "The order"), by: principal)
            let renderer = LabelRenderer(
                order: order,
                customer: try await kernel.customers.get(order.customerId, by: principal),
                tenant: try await kernel.tenants.current(principal),
                format: try kernel.registry.require(principal.sector).tagFormat
            )
            switch request.query("format") ?? "html" {
            case "html":
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: renderer.html)))
            case "zpl":
                return Response(status: .ok, headers: [.contentType: "application/zpl; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: renderer.zpl)))
            default:
                throw APIError.invalidParameter("format", "format must be html or zpl.")
            }
        }
    }
}

/// Tags (F5): look-up by tag, scans along the workflow, cancel, return, re-work.
struct TagsController {
    let kernel: Kernel
    let settings: APISettings

    struct Scan: Decodable {
        let stage: String?
        let note: String?
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("tags/:tag") { _, context in
            try JSONBody.response(try await kernel.tracking.trace(try tag(context), by: context.principal))
        }
        api.post("tags/:tag/scan") { request, context in
            let body = try await JSONBody.decode(Scan.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.tracking.scan(try tag(context), to: body.stage, note: body.note, by: context.principal))
        }
        api.post("tags/:tag/cancel") { request, context in
            let body = try await JSONBody.decode(OrdersController.Reason.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.tracking.cancel(try tag(context), reason: body.reason, by: context.principal))
        }
        api.post("tags/:tag/return") { request, context in
            let body = try await JSONBody.decode(OrdersController.Reason.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.tracking.returnItem(try tag(context), reason: body.reason, by: context.principal))
        }
        api.post("tags/:tag/rework") { request, context in
            let body = try await JSONBody.decode(OrdersController.Reason.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.tracking.rework(try tag(context), reason: body.reason, by: context.principal))
        }
    }

    private func tag(_ context: UserRequestContext) throws -> String {
        // A scanned "KT 0001-C7" arrives percent-encoded.
        guard let raw = context.parameters.get("tag"), let tag = raw.removingPercentEncoding else {
            throw DomainError(.invalidTag, "The path names no tag.")
        }
        return tag
    }
}

/// The tenant's sector: catalog and prices, settings, workflow, customer-type pricing, statistics.
struct SectorController {
    let kernel: Kernel
    let settings: APISettings

    struct Catalog: Encodable {
        let items: [TenantCatalogItem]
        let lineAttributes: [LineAttribute]
    }

    struct SettingChange: Decodable {
        let value: SettingInput?
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("catalog") { _, context in
            try JSONBody.response(Catalog(items: try await kernel.sector.catalog(context.principal),
                                          lineAttributes: try kernel.sector.lineAttributes(context.principal)))
        }
        api.put("catalog/:code") { request, context in
            guard let code = context.parameters.get("code") else { throw DomainError.notFound("The catalog entry") }
            let change = try await JSONBody.decode(CatalogChange.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.sector.changeCatalog(code, change, by: context.principal))
        }
        api.get("settings") { _, context in
            try JSONBody.response(Items(try await kernel.settingsService.list(context.principal)))
        }
        api.put("settings/:key") { request, context in
            guard let key = context.parameters.get("key") else { throw DomainError.notFound("The setting") }
            let body = try await JSONBody.decode(SettingChange.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(Items(try await kernel.settingsService.change(key, to: body.value, by: context.principal)))
        }
        api.get("workflow") { _, context in
            try JSONBody.response(try kernel.sector.workflow(context.principal))
        }
        api.put("customer-types/:code/pricing") { request, context in
            guard let code = context.parameters.get("code") else { throw DomainError.notFound("The customer type") }
            let terms = try await JSONBody.decode(PriceTerms.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.customerTypes.setPricing(code, terms, by: context.principal))
        }
        api.get("statistics") { request, context in
            let to = try request.queryDate("to") ?? Date()
            let from = try request.queryDate("from") ?? to.addingTimeInterval(-30 * 86_400)
            return try JSONBody.response(Items(try await kernel.statistics.compute(from: from, to: to, by: context.principal)))
        }
    }
}
