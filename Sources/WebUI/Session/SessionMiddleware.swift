import Contracts
import Foundation
import Hummingbird
import Kernel
import Logging

/// Finds who is signed in from the session cookie. Pages behind it need a live session: without
/// one the browser is sent to the sign-in page, which brings it back afterwards.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let kernel: Kernel
    let settings: WebSettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let language = Language(cookie: request.cookies[SessionCookies.language]?.value)
        guard let token = request.cookies[SessionCookies.session]?.value, !token.isEmpty else {
            return Self.toSignIn(request, expired: false)
        }
        let principal: Principal
        do {
            principal = try await kernel.auth.authenticate(token: token, origin: Self.origin(request, context: context, settings: settings))
        } catch let error as DomainError where error.code == .unauthenticated {
            var response = Self.toSignIn(request, expired: true)
            response.setCookie(SessionCookies.removal(SessionCookies.session, secure: SessionCookies.secure(request, settings: settings)))
            return response
        }
        var context = context
        context.session = WebSession(principal: principal, tenant: try await kernel.tenants.current(principal),
                                     csrfToken: SessionCookies.csrfToken(forSession: token), language: language)
        context.logger[metadataKey: "principal"] = .string("tenant=\(principal.tenantID) user=\(principal.userID)")
        return try await next(request, context)
    }

    /// To the sign-in page, remembering where the browser was going (a path of this site only).
    static func toSignIn(_ request: Request, expired: Bool) -> Response {
        var location = "/sign-in"
        var query: [String] = []
        if request.method == .get, request.uri.path != "/" {
            // The whole address asked for, path and query, encoded once as one query value.
            let asked = request.uri.query.map { request.uri.path + "?" + $0 } ?? request.uri.path
            query.append("next=" + (asked.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        if expired { query.append("expired=1") }
        if !query.isEmpty { location += "?" + query.joined(separator: "&") }
        return Views.redirect(location)
    }

    static func origin(_ request: Request, context: WebContext, settings: WebSettings) -> RequestOrigin {
        RequestOrigin(requestID: context.id, address: settings.clientAddress(context.peerAddress, request.headers[values: .xForwardedFor]))
    }
}
