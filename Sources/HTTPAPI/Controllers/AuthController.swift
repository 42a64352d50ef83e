import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Signing in and out, and the signed-in user's own account.
struct AuthController {
    let kernel: Kernel
    let settings: APISettings

    struct LoginRequest: Decodable {
        let tenant: String?
        let email: String?
        let password: String?
    }

    struct PasswordChange: Decodable {
        let currentPassword: String?
        let newPassword: String?
    }

    struct Me: Encodable {
        let user: User
        let tenant: Tenant
    }

    func addPublicRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("auth/login") { request, context in
            let body = try await JSONBody.decode(LoginRequest.self, from: request, limit: settings.maximumBodyBytes)
            var errors = FieldErrors()
            for (field, value) in [("tenant", body.tenant), ("email", body.email), ("password", body.password)] where (value ?? "").isEmpty {
                errors.add(field, .missingField, "\(field) is required.")
            }
            try errors.throwIfAny()
            let signedIn = try await kernel.auth.login(
                tenantSlug: body.tenant!, email: body.email!, password: body.password!,
                origin: RequestOrigins.origin(of: request, context: context, settings: settings)
            )
            return try JSONBody.response(signedIn, headers: [.cacheControl: "no-store"])
        }
    }

    func addUserRoutes(to api: RouterGroup<UserRequestContext>) {
        api.post("auth/logout") { _, context in
            try await kernel.auth.logout(context.principal)
            return Response(status: .noContent)
        }
        api.get("me") { _, context in
            let (user, tenant) = try await kernel.users.signedIn(context.principal)
            return try JSONBody.response(Me(user: user, tenant: tenant))
        }
        api.put("me/password") { request, context in
            let body = try await JSONBody.decode(PasswordChange.self, from: request, limit: settings.maximumBodyBytes)
            guard let current = body.currentPassword, let new = body.newPassword else {
                throw DomainError.invalid("newPassword", .missingField, "currentPassword and newPassword are required.")
            }
            try await kernel.users.changeOwnPassword(current: current, new: new, by: context.principal)
            return Response(status: .noContent)
        }
        api.get("tenant") { _, context in
            try JSONBody.response(try await kernel.tenants.current(context.principal))
        }
    }
}
