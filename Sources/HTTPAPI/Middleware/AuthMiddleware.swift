import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging

/// Establishes who is calling from `Authorization: Bearer <token>`: a tenant's user on tenant
/// routes, an operator on operator routes. A missing or dead token answers 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    enum Audience { case tenantUser, `operator` }

    let kernel: Kernel
    let settings: APISettings
    let audience: Audience

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(request) else { throw APIError.unauthenticated }
        let origin = RequestOrigins.origin(of: request, context: context, settings: settings)
        var context = context
        switch audience {
        case .tenantUser:
            let principal = try await kernel.auth.authenticate(token: token, origin: origin)
            context.principal = principal
            context.logger[metadataKey: "tenant"] = .stringConvertible(principal.tenantID)
            context.logger[metadataKey: "user"] = .stringConvertible(principal.userID)
        case .operator:
            let principal = try await kernel.auth.authenticateOperator(token: token, origin: origin)
            context.operatorPrincipal = principal
            context.logger[metadataKey: "operator"] = .string(principal.label)
        }
        return try await next(request, context)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// Where a request came from, for throttling and the audit log.
enum RequestOrigins {
    static func origin(of request: Request, context: AppRequestContext, settings: APISettings) -> RequestOrigin {
        let forwarded = request.headers[values: .xForwardedFor]
        return RequestOrigin(requestID: context.id, address: settings.trustedProxies.client(peer: context.peerAddress, forwardedFor: forwarded))
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
