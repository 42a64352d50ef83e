import Contracts
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// The front desk's templates (files under `Pages/` and `Screens/`, compiled into the module) and
/// the pages made from them: a screen's view model renders into its template, and that into the layout.
struct Views: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        let files: [(String, [UInt8])] = [
            ("layout", PackageResources.layout_mustache), ("error", PackageResources.error_mustache),
            ("sign-in", PackageResources.sign_in_mustache), ("home", PackageResources.home_mustache),
            ("customer-results", PackageResources.customer_results_mustache), ("customer", PackageResources.customer_mustache),
            ("new-order", PackageResources.new_order_mustache), ("quote", PackageResources.quote_mustache),
            ("order", PackageResources.order_mustache), ("receipt", PackageResources.receipt_mustache),
            ("scan", PackageResources.scan_mustache), ("courier", PackageResources.courier_mustache),
            ("board", PackageResources.board_mustache), ("dashboard", PackageResources.dashboard_mustache),
            ("settings", PackageResources.settings_mustache), ("account", PackageResources.account_mustache),
            ("payment", PackageResources.payment_mustache), ("overdue", PackageResources.overdue_mustache),
            ("uncollected", PackageResources.uncollected_mustache), ("invoices", PackageResources.invoices_mustache),
            ("loyalty", PackageResources.loyalty_mustache),
        ]
        for (name, bytes) in files {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
    }

    /// The text of `template` for `view`, or nil when no such template exists.
    func render(_ view: Any, template: String) -> String {
        library.render(view, withTemplate: template) ?? ""
    }

    /// A whole page: the screen inside the layout, with the navigation of the signed-in user.
    func page(_ title: String, template: String, view: Any, chrome: Chrome, status: HTTPResponse.Status = .ok) -> Response {
        let body = render(view, template: template)
        let html = render(Layout(title: title, t: chrome.texts, lang: chrome.language.rawValue, session: chrome.user, body: body,
                                 notice: chrome.notice, wide: chrome.wide), template: "layout")
        return Self.html(html, status: status)
    }

    /// A piece of a page, for the script that refreshes part of one (search results, a quote).
    func fragment(_ view: Any, template: String) -> Response {
        Self.html(render(view, template: template))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .init("X-Frame-Options")!: "DENY", .init("X-Content-Type-Options")!: "nosniff",
                                           .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// After a form: go to `location` with a GET (303), so reloading does not post again.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// What the layout shows around every screen.
    struct Layout {
        let title: String
        let t: [String: String]
        let lang: String
        let session: Chrome.User?
        let body: String
        let notice: String?
        let wide: Bool
    }
}

/// The parts of a page that do not depend on the screen: language, the signed-in user, a notice.
struct Chrome: Sendable {
    struct User: Sendable {
        let name: String
        let business: String
        let csrf: String
        /// Links of the navigation the user's role may follow.
        let frontDesk: Bool
        let courier: Bool
        let headOffice: Bool
        /// The owner and accountants: the month's invoices.
        let books: Bool
        /// The owner and branch managers: campaigns and coupons.
        let marketing: Bool
        let owner: Bool
    }

    let language: Language
    let user: User?
    var notice: String?
    var wide = false

    var texts: [String: String] { language.texts }
}
