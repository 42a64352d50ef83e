import Contracts

/// Errors the HTTP layer raises itself (the kernel raises `DomainError`s of its own).
enum APIError {
    static let unauthenticated = DomainError(.unauthenticated, "Sign in first: send 'Authorization: Bearer <token>'.")
    static let routeNotFound = DomainError(.routeNotFound, "There is no such route; see /api/v1/openapi.yaml.")

    static func payloadTooLarge(_ limit: Int) -> DomainError {
        DomainError(.payloadTooLarge, "The request body is larger than \(limit) bytes.")
    }

    static func invalidParameter(_ name: String, _ message: String) -> DomainError {
        .invalid(name, .invalidParameter, message)
    }
}
