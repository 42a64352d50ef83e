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
            // One key, not two: the stream log handler renders all metadata anew at every change.
            context.logger[metadataKey: "principal"] = .string("tenant=\(principal.tenantID) user=\(principal.userID)")
        case .operator:
            let principal = try await kernel.auth.authenticateOperator(token: token, origin: origin)
            context.operatorPrincipal = principal
            context.logger[metadataKey: "operator"] = .string(principal.label)
        }
        return try await next(request, context)
    }

    /// The token of `Authorization: Bearer <token>` (the scheme in any case, spaces around the
    /// token ignored). Read byte by byte: Foundation's trimming bridges through NSString.
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let utf8 = header.utf8
        guard let space = utf8.firstIndex(of: UInt8(ascii: " ")),
              String(header[..<space]).lowercased() == "bearer" else { return nil }
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = utf8[space...].firstIndex(where: { !isBlank($0) }),
              let last = utf8[first...].lastIndex(where: { !isBlank($0) }) else { return nil }
        return String(decoding: utf8[first...last], as: UTF8.self)
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
