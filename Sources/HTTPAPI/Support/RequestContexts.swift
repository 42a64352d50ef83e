import Hummingbird
import Kernel
import Logging
import NIOCore

/// The context of every request: the caller's network address and, once the auth middleware has
/// run, who they are.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (a proxy's address when behind one).
    public let peerAddress: String?
    var principal: Principal?
    var operatorPrincipal: OperatorPrincipal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The context of routes for signed-in tenant users: the principal is always there.
struct UserRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let principal: Principal

    init(context: AppRequestContext) throws {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        coreContext = context.coreContext
        self.principal = principal
    }
}

/// The context of operator routes: the operator is always there.
struct OperatorRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let operatorPrincipal: OperatorPrincipal

    init(context: AppRequestContext) throws {
        guard let principal = context.operatorPrincipal else { throw APIError.unauthenticated }
        coreContext = context.coreContext
        operatorPrincipal = principal
    }
}
