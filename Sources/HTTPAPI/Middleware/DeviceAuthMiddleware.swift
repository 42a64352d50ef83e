import Hummingbird
import Logging
import Loyalty

/// Establishes which till is calling from `Authorization: Bearer crmd_…`; a missing, unknown or
/// revoked key answers 401.
struct DeviceAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let devices: PosDevices
    let settings: APISettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = AuthMiddleware.bearerToken(request) else { throw APIError.unauthenticated }
        let session = try await devices.authenticate(key: key, origin: RequestOrigins.origin(of: request, context: context, settings: settings))
        var context = context
        context.device = DeviceCredential(key: key, session: session)
        context.logger[metadataKey: "device"] = .string("tenant=\(session.device.tenantID) device=\(session.device.deviceID)")
        return try await next(request, context)
    }
}
