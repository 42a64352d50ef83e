import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// What the SaaS operator does over the API: onboard tenants by sector, manage operator tokens.
struct OperatorController {
    let kernel: Kernel
    let settings: APISettings

    struct TokenRequest: Decodable {
        let label: String?
        let expiresInDays: Int?
    }

    /// The sectors tenants can be created with; public, for sign-up pages and integrators.
    func addPublicRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("sectors") { _, _ in
            try JSONBody.response(Items(kernel.registry.modules.map(\.identity)))
        }
    }

    func addRoutes(to api: RouterGroup<OperatorRequestContext>) {
        api.get("tenants") { _, context in
            try JSONBody.response(Items(try await kernel.tenants.list(by: context.operatorPrincipal)))
        }
        api.post("tenants") { request, context in
            let input = try await JSONBody.decode(NewTenant.self, from: request, limit: settings.maximumBodyBytes)
            let created = try await kernel.tenants.create(input, by: context.operatorPrincipal)
            return try JSONBody.response(created, status: .created, headers: [
                .location: "/api/v1/operator/tenants/\(created.tenant.id.uuidString.lowercased())",
                .cacheControl: "no-store",
            ])
        }
        api.get("tenants/:id") { _, context in
            try JSONBody.response(try await kernel.tenants.get(try context.id(of: "The tenant"), by: context.operatorPrincipal))
        }
        api.post("tokens") { request, context in
            let body = try await JSONBody.decode(TokenRequest.self, from: request, limit: settings.maximumBodyBytes)
            var lifetime = settings.operatorTokenLifetime
            if let days = body.expiresInDays {
                guard (1...365).contains(days) else {
                    throw DomainError.invalid("expiresInDays", .invalidValue, "expiresInDays must be 1–365.")
                }
                lifetime = .seconds(days * 24 * 3600)
            }
            let issued = try await kernel.auth.issueOperatorToken(label: body.label, lifetime: lifetime, by: context.operatorPrincipal)
            return try JSONBody.response(issued, status: .created, headers: [.cacheControl: "no-store"])
        }
        api.delete("tokens/:id") { _, context in
            try await kernel.auth.revokeOperatorToken(id: try context.id(of: "The operator token"), by: context.operatorPrincipal)
            return Response(status: .noContent)
        }
    }
}
