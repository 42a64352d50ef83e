import Contracts
import Foundation
import Hummingbird
import Kernel

/// Signing in and out. The sign-in form carries a random token that must match its cookie (so no
/// other site can sign a browser in); a session is the kernel's own token in an HttpOnly cookie.
struct SignInScreen {
    let desk: FrontDesk

    struct View {
        let t: [String: String]
        let csrf: String
        let next: String
        let tenant: String
        let email: String
        let error: String?
        let demo: [DemoSignIn]
    }

    func addRoutes(to router: Router<WebContext>) {
        router.get("sign-in") { request, _ in
            let language = Language(cookie: request.cookies[SessionCookies.language]?.value)
            var notice = request.uri.queryParameters["notice"].flatMap { language.texts[String($0)] }
            if request.uri.queryParameters["expired"] != nil { notice = language.text("sessionEnded") }
            let next = request.uri.queryParameters["next"].map(String.init) ?? ""  // already decoded
            return await page(request, language: language, next: next, tenant: "", email: "", error: nil, notice: notice, status: .ok)
        }
        router.post("sign-in") { request, context in
            let language = Language(cookie: request.cookies[SessionCookies.language]?.value)
            let form = try await Form.read(request, limit: desk.settings.maximumFormBytes)
            guard let expected = request.cookies[SessionCookies.signIn]?.value, SessionCookies.matches(form["csrf"], expected) else {
                throw FrontDesk.csrfRefusal
            }
            let next = form["next"].flatMap { FrontDesk.isLocalPath($0) ? $0 : nil } ?? "/"
            do {
                let signedIn = try await desk.kernel.auth.login(
                    tenantSlug: form["tenant"] ?? "", email: form["email"] ?? "", password: form.all("password").first ?? "",
                    origin: SessionMiddleware.origin(request, context: context, settings: desk.settings)
                )
                let secure = SessionCookies.secure(request, settings: desk.settings)
                var response = Views.redirect(next)
                let lifetime = max(60, Int(signedIn.expiresAt.timeIntervalSince(Date())))
                response.setCookie(SessionCookies.cookie(SessionCookies.session, signedIn.token, maxAge: lifetime, secure: secure))
                response.setCookie(SessionCookies.removal(SessionCookies.signIn, secure: secure))
                return response
            } catch let error as DomainError where [.invalidCredentials, .loginThrottled, .accountDisabled, .unauthenticated].contains(error.code) {
                let status: HTTPResponse.Status = error.code == .loginThrottled ? .tooManyRequests : (error.code == .accountDisabled ? .forbidden : .unauthorized)
                let message = language == .tr ? Self.turkish(error.code) : error.message
                return await page(request, language: language, next: next, tenant: form["tenant"] ?? "", email: form["email"] ?? "",
                                  error: message, notice: nil, status: status)
            }
        }
        router.post("sign-out") { request, context in
            let secure = SessionCookies.secure(request, settings: desk.settings)
            var response = Views.redirect("/sign-in?notice=signedOut")
            if let token = request.cookies[SessionCookies.session]?.value {
                let form = try await Form.read(request, limit: desk.settings.maximumFormBytes)
                guard SessionCookies.matches(form["csrf"], SessionCookies.csrfToken(forSession: token)) else { throw FrontDesk.csrfRefusal }
                if let principal = try? await desk.kernel.auth.authenticate(token: token, origin: SessionMiddleware.origin(request, context: context, settings: desk.settings)) {
                    try await desk.kernel.auth.logout(principal)
                }
            }
            response.setCookie(SessionCookies.removal(SessionCookies.session, secure: secure))
            return response
        }
    }

    private func page(_ request: Request, language: Language, next: String, tenant: String, email: String, error: String?, notice: String?,
                      status: HTTPResponse.Status) async -> Response {
        let token = request.cookies[SessionCookies.signIn]?.value.nilIfEmpty ?? SessionCookies.randomToken()
        let view = View(t: language.texts, csrf: token, next: FrontDesk.isLocalPath(next) ? next : "", tenant: tenant, email: email,
                        error: error, demo: await desk.settings.demoSignIns())
        var response = desk.views.page(language.text("page.signIn"), template: "sign-in", view: view,
                                       chrome: Chrome(language: language, user: nil, notice: notice), status: status)
        response.setCookie(SessionCookies.cookie(SessionCookies.signIn, token, maxAge: 3_600, secure: SessionCookies.secure(request, settings: desk.settings)))
        return response
    }

    static func turkish(_ code: ErrorCode) -> String {
        switch code {
        case .loginThrottled: "Çok fazla hatalı deneme yapıldı; biraz bekleyip yeniden deneyin."
        case .accountDisabled: "Bu hesap kapatılmış; yöneticinize başvurun."
        default: "İşletme kodu, e-posta veya parola yanlış."
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
