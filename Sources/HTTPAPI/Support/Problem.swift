import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// RFC 9457 problem details, with our stable `code` and, for invalid input, the fields at fault.
struct Problem: Encodable {
    let type: String
    let title: String
    let status: Int
    let code: String
    let detail: String
    let errors: [FieldError]?
    let requestId: String?
    /// Extension members that help the caller recover, e.g. `allowedStages`.
    let context: [String: [String]]

    init(_ error: DomainError, requestID: String?) {
        let status = Self.status(error.code.kind)
        type = "urn:crm:problem:\(error.code.rawValue)"
        title = status.reasonPhrase
        self.status = status.code
        code = error.code.rawValue
        detail = error.message
        errors = error.fields.isEmpty ? nil : error.fields
        requestId = requestID
        context = error.context
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: Key("type"))
        try container.encode(title, forKey: Key("title"))
        try container.encode(status, forKey: Key("status"))
        try container.encode(code, forKey: Key("code"))
        try container.encode(detail, forKey: Key("detail"))
        try container.encodeIfPresent(errors, forKey: Key("errors"))
        try container.encodeIfPresent(requestId, forKey: Key("requestId"))
        for (key, values) in context {
            try container.encode(values, forKey: Key(key))
        }
    }

    static func status(_ kind: ErrorKind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unprocessable: .unprocessableContent
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .preconditionFailed: .preconditionFailed
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .tooManyRequests: .tooManyRequests
        case .serverFault: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    static func response(_ error: DomainError, requestID: String?) -> Response {
        let problem = Problem(error, requestID: requestID)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter = error.retryAfterSeconds {
            headers[.retryAfter] = String(retryAfter)
        }
        if let allow = error.context["allow"], problem.status == 405 {
            headers[.allow] = allow.joined(separator: ", ")
        }
        if problem.status == 401 {
            headers[.wwwAuthenticate] = "Bearer"
        }
        let body = (try? JSONBody.encoder.encode(problem)) ?? Data(#"{"code":"internal_error"}"#.utf8)
        return Response(status: .init(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }
}
