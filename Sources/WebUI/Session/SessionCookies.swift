import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The cookies of the front desk. The session cookie holds the kernel's own bearer token, so a
/// browser session is revoked, expires and is throttled exactly as an API token is; it is
/// HttpOnly, SameSite=Lax, and Secure when the page came over TLS.
enum SessionCookies {
    static let session = "crm_session"
    /// A random value the sign-in form carries back (its CSRF token before there is a session).
    static let signIn = "crm_signin"
    static let language = "crm_lang"

    /// The CSRF token of a session: derived from the session's secret token, so that only a page
    /// the browser got with that cookie can know it, and nothing needs storing.
    static func csrfToken(forSession token: String) -> String {
        let digest = SHA256.hash(data: Data(("crm-web-csrf\u{0}" + token).utf8))
        return Data(digest).base64URLEncoded
    }

    /// Compares two tokens in time that does not depend on where they differ.
    static func matches(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let (a, b) = (Array(given.utf8), Array(expected.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func randomToken() -> String {
        Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URLEncoded
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int?, secure: Bool, httpOnly: Bool = true) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: httpOnly, sameSite: .lax)
    }

    static func removal(_ name: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Whether cookies of this response should be Secure: the configuration says so, or the page
    /// came over TLS (directly or through a proxy that says so).
    static func secure(_ request: Request, settings: WebSettings) -> Bool {
        settings.secureCookies || request.uri.scheme == .https || request.headers[.xForwardedProto]?.lowercased() == "https"
    }
}

extension Data {
    /// Base64 with the URL alphabet and no padding: safe in cookies, forms and URLs.
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
