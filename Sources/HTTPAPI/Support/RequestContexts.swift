import Hummingbird
import Kernel
import Loyalty
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
    /// A till's device key and what it established.
    var device: DeviceCredential?

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

/// A till's key as sent, and the device it was checked to be.
struct DeviceCredential: Sendable {
    let key: String
    let session: PosDevices.DeviceSession
}

/// The context of routes for tills: the device is always there.
struct DeviceRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let device: DeviceCredential

    init(context: AppRequestContext) throws {
        guard let device = context.device else { throw APIError.unauthenticated }
        coreContext = context.coreContext
        self.device = device
    }
}
