import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging

/// Turns every error into an `application/problem+json` response with a stable code, and stamps
/// every response with its request id. Unexpected errors are logged and answered as 500 without
/// their details, which may hold data that is not the caller's.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let allowedMethods: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            // No stored text may hold NUL (PostgreSQL refuses it): refused in the path and query here,
            // in bodies by each field's check.
            if Self.holdsNUL(path: request.uri.path) || (request.uri.query ?? "").contains("%00") {
                throw DomainError(.invalidParameter, "The address holds a NUL character or broken percent-encoding.")
            }
            response = try await next(request, context)
        } catch {
            response = Problem.response(domainError(error, request: request, context: context), requestID: context.id)
        }
        response.headers[.requestID] = context.id
        return response
    }

    /// Whether the path holds NUL, raw or percent-encoded, or percent-encoding that does not decode.
    /// (Decoded only when it holds a `%`: most paths do not, and decoding allocates.)
    static func holdsNUL(path: String) -> Bool {
        guard path.utf8.contains(UInt8(ascii: "%")) else { return path.utf8.contains(0) }
        return path.removingPercentEncoding?.contains("\u{0}") != false
    }

    func domainError(_ error: any Error, request: Request, context: Context) -> DomainError {
        switch error {
        case let error as DomainError:
            return error
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                if let allowed = allowedMethods.methods(at: request.uri.path), !allowed.contains(request.method.rawValue) {
                    return DomainError(.methodNotAllowed, "\(request.method.rawValue) is not served here; this path answers \(allowed.joined(separator: ", ")).",
                                       context: ["allow": allowed])
                }
                return APIError.routeNotFound
            case .contentTooLarge: return DomainError(.payloadTooLarge, "The request body is too large.")
            case .unauthorized: return APIError.unauthenticated
            case .badRequest: return DomainError(.invalidParameter, error.body ?? "The request is not valid.")
            default:
                return DomainError(error.status.code >= 500 ? .internalError : .invalidParameter, error.body ?? error.status.reasonPhrase)
            }
        case _ where Kernel.domainError(forStorageFailure: error) != nil:
            return Kernel.domainError(forStorageFailure: error)!
        default:
            context.logger.error("request failed", metadata: [
                "error.type": .string(String(reflecting: type(of: error))),
                "error": .string(String(describing: error)),
                "path": .string(request.uri.path),
            ])
            return DomainError(.internalError, "Something went wrong on our side; the request id identifies it in our logs.")
        }
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
}
