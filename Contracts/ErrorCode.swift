/// Stable, machine-readable error codes. They appear as `code` in every `application/problem+json`
/// response and never change meaning; new codes may be added.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    // Request shape
    case invalidJSON = "invalid_json"
    case validationFailed = "validation_failed"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case invalidValue = "invalid_value"
    case payloadTooLarge = "payload_too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case invalidParameter = "invalid_parameter"
    case preconditionFailed = "precondition_failed"
    /// An idempotency key already booked a different request.
    case idempotencyKeyReused = "idempotency_key_reused"
    /// A line or an order comes to more than `Money.maximum`.
    case amountTooLarge = "amount_too_large"

    // Field formats
    case invalidPhone = "invalid_phone"
    case invalidEmail = "invalid_email"
    case invalidTimeZone = "invalid_time_zone"
    case invalidSlug = "invalid_slug"
    case weakPassword = "weak_password"

    // References
    case unknownSector = "unknown_sector"
    case unknownCustomerType = "unknown_customer_type"
    case unknownBranch = "unknown_branch"
    case unknownRole = "unknown_role"
    case unknownService = "unknown_service"
    case unknownCustomer = "unknown_customer"
    case invalidTag = "invalid_tag"

    // Resources
    case notFound = "not_found"
    case unknownTag = "unknown_tag"
    case routeNotFound = "route_not_found"
    case methodNotAllowed = "method_not_allowed"
    case conflict = "conflict"
    case slugTaken = "slug_taken"
    case emailTaken = "email_taken"
    case codeTaken = "code_taken"
    case transitionNotAllowed = "transition_not_allowed"
    /// An order would take an open account past its credit limit, and the tenant refuses that.
    case creditLimitExceeded = "credit_limit_exceeded"
    /// A cash customer's order is handed over only once what they owe is paid.
    case paymentRequired = "payment_required"
    /// A customer's points do not cover what is to be redeemed.
    case insufficientPoints = "insufficient_points"

    // Identity
    case unauthenticated = "unauthenticated"
    case invalidCredentials = "invalid_credentials"
    case forbidden = "forbidden"
    case loginThrottled = "login_throttled"
    case accountDisabled = "account_disabled"

    // Server
    case internalError = "internal_error"
    case unavailable = "unavailable"

    /// The class of failure, which HTTP maps to a status code.
    public var kind: ErrorKind {
        switch self {
        case .invalidJSON, .invalidParameter: .badRequest
        case .validationFailed, .missingField, .wrongType, .invalidValue, .invalidPhone, .invalidEmail,
             .invalidTimeZone, .invalidSlug, .weakPassword, .unknownSector, .unknownCustomerType,
             .unknownBranch, .unknownRole, .unknownService, .unknownCustomer, .invalidTag, .amountTooLarge, .idempotencyKeyReused:
            .unprocessable
        case .payloadTooLarge: .payloadTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .preconditionFailed: .preconditionFailed
        case .notFound, .routeNotFound, .unknownTag: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict, .slugTaken, .emailTaken, .codeTaken, .transitionNotAllowed, .creditLimitExceeded, .paymentRequired,
             .insufficientPoints: .conflict
        case .unauthenticated, .invalidCredentials: .unauthenticated
        case .forbidden, .accountDisabled: .forbidden
        case .loginThrottled: .tooManyRequests
        case .internalError: .serverFault
        case .unavailable: .unavailable
        }
    }
}

/// Broad classes of failure, independent of transport.
public enum ErrorKind: Sendable {
    case badRequest, unprocessable, payloadTooLarge, unsupportedMediaType, preconditionFailed
    case notFound, methodNotAllowed, conflict, unauthenticated, forbidden, tooManyRequests
    case serverFault, unavailable
}
