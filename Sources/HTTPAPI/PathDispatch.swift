import Hummingbird
import Logging
import NIOCore

/// What the server hands a request's responder before either side has built its context: the
/// connection it came on.
public struct ConnectionSource: InitializableFromSource, Sendable {
    let channel: any Channel
    let logger: Logger

    public init(source: ApplicationRequestContextSource) {
        channel = source.channel
        logger = source.logger
    }

    var source: ApplicationRequestContextSource { ApplicationRequestContextSource(channel: channel, logger: logger) }
}

/// One server, two faces: the JSON API (`/api/…`) and the probes (`/healthz`, `/readyz`, `/metrics`)
/// go to the API's router; every other path goes to the browser's (the front desk).
struct PathDispatch<Web: HTTPResponder>: HTTPResponder where Web.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let api: RouterResponder<AppRequestContext>
    let web: Web

    func respond(to request: Request, context: ConnectionSource) async throws -> Response {
        if APIPaths.contains(request.uri.path) {
            return try await api.respond(to: request, context: AppRequestContext(source: context.source))
        }
        return try await web.respond(to: request, context: Web.Context(source: context.source))
    }
}

/// The paths the API answers: everything under `/api/`, and the probes.
enum APIPaths {
    static func contains(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics"
    }
}
