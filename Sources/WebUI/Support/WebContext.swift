import Hummingbird
import Kernel
import Logging

/// The context of a browser's request: its connection's peer and, once the session middleware has
/// run, who is signed in.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection's peer (a proxy's address when behind one).
    public let peerAddress: String?
    /// The signed-in user, on pages behind the sign-in.
    var session: WebSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// A signed-in browser: the kernel's principal and the token that every form of the session carries.
struct WebSession: Sendable {
    let principal: Principal
    /// The principal's business, read once per request: every page shows its name and zone.
    let tenant: Tenant
    let csrfToken: String
    /// How texts are shown: the user's choice of `tr` or `en`.
    let language: Language
}
