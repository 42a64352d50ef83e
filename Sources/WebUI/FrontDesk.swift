import Accounts
import Contracts
import Foundation
import Hummingbird
import Invoicing
import Kernel
import Loyalty
import NIOCore
import Notify

/// The front desk in the browser: server-rendered pages over the kernel, one folder per screen.
/// `crm serve` serves it beside the JSON API, at every path outside `/api/`.
public struct FrontDesk: Sendable {
    let kernel: Kernel
    let notify: NotifyModule
    let accounts: AccountsModule
    let invoicing: InvoicingModule
    let loyalty: LoyaltyModule
    let settings: WebSettings
    let views: Views

    public init(kernel: Kernel, notify: NotifyModule, settings: WebSettings) throws {
        self.kernel = kernel
        self.notify = notify
        accounts = AccountsModule(kernel: kernel)
        invoicing = InvoicingModule(kernel: kernel)
        loyalty = LoyaltyModule(kernel: kernel)
        self.settings = settings
        views = try Views()
    }

    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: WebErrorMiddleware(views: views))
        Assets().addRoutes(to: router)
        SignInScreen(desk: self).addRoutes(to: router)
        router.get("language/:code") { request, context in
            let language = Language(cookie: context.parameters.get("code"))
            var response = Views.redirect(Self.sameSitePath(request.headers[.referer]) ?? "/")
            response.setCookie(SessionCookies.cookie(SessionCookies.language, language.rawValue, maxAge: 365 * 86_400,
                                                     secure: SessionCookies.secure(request, settings: settings), httpOnly: false))
            return response
        }

        let signedIn = router.group().add(middleware: SessionMiddleware(kernel: kernel, settings: settings))
        HomeScreen(desk: self).addRoutes(to: signedIn)
        CustomerScreen(desk: self).addRoutes(to: signedIn)
        NewOrderScreen(desk: self).addRoutes(to: signedIn)
        OrderScreen(desk: self).addRoutes(to: signedIn)
        ScanScreen(desk: self).addRoutes(to: signedIn)
        CourierScreen(desk: self).addRoutes(to: signedIn)
        BoardScreen(desk: self).addRoutes(to: signedIn)
        DashboardScreen(desk: self).addRoutes(to: signedIn)
        SettingsScreen(desk: self).addRoutes(to: signedIn)
        AccountScreen(desk: self).addRoutes(to: signedIn)
        CollectionsScreen(desk: self).addRoutes(to: signedIn)
        InvoiceScreen(desk: self).addRoutes(to: signedIn)
        LoyaltyBox(desk: self).addRoutes(to: signedIn)
        LoyaltyScreen(desk: self).addRoutes(to: signedIn)
        return router
    }

    // MARK: What every screen uses

    /// The signed-in session of a page behind the sign-in.
    func session(_ context: WebContext) throws -> WebSession {
        guard let session = context.session else { throw DomainError(.unauthenticated, "Please sign in.") }
        return session
    }

    /// A posted form of the signed-in user, with its CSRF token checked: a form that does not carry
    /// the session's token did not come from one of its pages, and is refused before anything is read.
    func posted(_ request: Request, _ context: WebContext) async throws -> (Form, WebSession) {
        let session = try session(context)
        let form = try await Form.read(request, limit: settings.maximumFormBytes)
        guard SessionCookies.matches(form["csrf"], session.csrfToken) else { throw Self.csrfRefusal }
        return (form, session)
    }

    static let csrfRefusal = DomainError(.forbidden, "The form's security token is missing or out of date. Reload the page and send it again.")

    /// The frame of a page: the user, the business, a notice named by `?notice=` (a known text only).
    func chrome(_ session: WebSession, request: Request? = nil, notice: String? = nil) -> Chrome {
        let tenant = session.tenant
        let role = session.principal.role
        let user = Chrome.User(name: session.principal.name, business: tenant.name, csrf: session.csrfToken,
                               frontDesk: role != .courier, courier: role == .courier,
                               headOffice: [.owner, .accountant, .branchManager].contains(role), books: [.owner, .accountant].contains(role),
                               marketing: [.owner, .branchManager].contains(role), owner: role == .owner)
        let named = request?.uri.queryParameters["notice"].map(String.init).flatMap { key in session.language.texts[key] }
        return Chrome(language: session.language, user: user, notice: notice ?? named)
    }

    func formats(_ session: WebSession) -> Formats {
        Formats(timeZone: session.tenant.timeZone)
    }

    /// The path of a URL when it is one of this site's own (`/…`, not `//host`); nil otherwise.
    static func sameSitePath(_ url: String?) -> String? {
        guard let url, let components = URLComponents(string: url) else { return nil }
        var path = components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        return isLocalPath(path) ? path : nil
    }

    /// A path of this site: `/` then URL characters only. No control character or space (a
    /// browser drops a tab, so `/\t/evil.example` would leave the site), no `//` or `/\` start.
    static func isLocalPath(_ path: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%!$&'()*+,;=:@/?".utf8)
        return path.utf8.count <= 2_000 && path.hasPrefix("/") && !path.hasPrefix("//") && path.utf8.allSatisfy(allowed.contains)
    }
}

/// The stylesheet and the script, compiled into the module, cached by the browser for an hour.
struct Assets {
    func addRoutes(to router: Router<WebContext>) {
        router.get("assets/app.css") { _, _ in Self.file(PackageResources.app_css, type: "text/css; charset=utf-8") }
        router.get("assets/app.js") { _, _ in Self.file(PackageResources.app_js, type: "text/javascript; charset=utf-8") }
    }

    static func file(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600", .init("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
