import Foundation

/// How the front desk is served, from the process's configuration.
public struct WebSettings: Sendable {
    /// The largest form body accepted, in bytes.
    public var maximumFormBytes = 256 * 1024
    /// Mark cookies `Secure` whatever the request says (set when the server is only reached over TLS).
    public var secureCookies = false
    /// The demo sign-ins the sign-in page shows (`crm serve --demo`), known once the server has started.
    public var demoSignIns: @Sendable () async -> [DemoSignIn] = { [] }
    /// The client's address for the login throttle and the audit log, from the peer and any
    /// `X-Forwarded-For` values (the API's trusted-proxy rule).
    public var clientAddress: @Sendable (_ peer: String?, _ forwardedFor: [String]) -> String? = { peer, _ in peer }

    public init() {}
}

/// A sign-in the sign-in page offers, for a demo.
public struct DemoSignIn: Sendable {
    public let tenant: String
    public let email: String
    public let password: String
    /// What the tenant is, in words (its sector).
    public let label: String

    public init(tenant: String, email: String, password: String, label: String) {
        self.tenant = tenant
        self.email = email
        self.password = password
        self.label = label
    }
}
