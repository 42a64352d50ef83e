import Contracts
import HTTPTypes
import Hummingbird
import Kernel

/// Branches and user accounts of a tenant.
struct StaffController {
    let kernel: Kernel
    let settings: APISettings

    struct PasswordReset: Decodable {
        let password: String?
    }

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("branches") { _, context in
            try JSONBody.response(Items(try await kernel.branches.list(context.principal)))
        }
        api.post("branches") { request, context in
            let input = try await JSONBody.decode(NewBranch.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.branches.create(input, by: context.principal), status: .created)
        }
        api.get("users") { _, context in
            try JSONBody.response(Items(try await kernel.users.list(context.principal)))
        }
        api.post("users") { request, context in
            let input = try await JSONBody.decode(NewUser.self, from: request, limit: settings.maximumBodyBytes)
            // A generated password is in the answer: no cache may keep it.
            return try JSONBody.response(try await kernel.users.create(input, by: context.principal), status: .created,
                                         headers: [.cacheControl: "no-store"])
        }
        api.get("users/:id") { _, context in
            try JSONBody.response(try await kernel.users.get(try context.id(of: "The user"), by: context.principal))
        }
        api.patch("users/:id") { request, context in
            let id = try context.id(of: "The user")
            let changes = try await JSONBody.decode(UserChanges.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.users.update(id, changes, by: context.principal))
        }
        api.post("users/:id/password") { request, context in
            let id = try context.id(of: "The user")
            let body = try await JSONBody.decode(PasswordReset.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.users.resetPassword(id, to: body.password, by: context.principal),
                                         headers: [.cacheControl: "no-store"])
        }
        api.get("audit") { request, context in
            let query = AuditService.Query(entity: request.query("entity"), entityID: request.query("entityId"))
            let entries = try await kernel.audit.list(query, limit: try request.queryInt("limit") ?? 100, by: context.principal)
            return try JSONBody.response(Items(entries))
        }
    }
}

/// A list response: `{"items": […]}`, leaving room for paging fields later.
struct Items<Item: Encodable>: Encodable {
    let items: [Item]

    init(_ items: [Item]) {
        self.items = items
    }
}
