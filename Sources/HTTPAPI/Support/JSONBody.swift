import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Reading JSON request bodies with clear errors, and writing JSON responses.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // No sorted keys: sorting every object's keys was a tenth of a customer read's time, and
        // no client of a JSON API may depend on key order.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// Decodes the body as `T`: 415 for another media type, 413 past `limit` bytes, 400 for text that
    /// is not JSON, 422 naming the field for a missing field, a wrong type or a bad value.
    /// `null` is refused (422 naming the field) everywhere but at the top-level fields in
    /// `nullable`, which the document declares nullable: optional fields are left out, not null.
    /// The raw body, at most `limit` bytes (413 `payload_too_large` beyond, before or while reading).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.payloadTooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int, nullable: Set<String> = []) async throws -> T {
        if let contentType = request.headers[.contentType]?.lowercased(),
           !(contentType.hasPrefix("application/json") || contentType.contains("+json")) {
            throw DomainError(.unsupportedMediaType, "Send the body as application/json.")
        }
        let buffer = try await collect(request, limit: limit)
        guard buffer.readableBytes > 0 else {
            throw DomainError(.invalidJSON, "The request needs a JSON body.")
        }
        let data = Data(buffer.readableBytesView)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decoding
        let value: T
        do {
            value = try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(error)
        }
        // An optional field decodes `null` as absent; the document says such fields are left out.
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
           let field = firstNull(in: object, fieldsOf: value, path: "", allowed: nullable) {
            throw DomainError.invalid(field, .wrongType, "\(field) must not be null; leave the field out instead.")
        }
        return value
    }

    static func problem(_ error: DecodingError) -> DomainError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return DomainError(.invalidJSON, "The body is not valid JSON.")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .invalid(field, .invalidValue, "\(field) has a value that is not valid here.")
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalid(field, .missingField, "\(field) is required.")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .invalid("", .wrongType, "The body must be a JSON \(describe(type)).") }
            return .invalid(field, .wrongType, "\(field) must be \(article(type)) \(describe(type)).")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalid(field, .wrongType, "\(field) must be \(article(type)) \(describe(type)), not null.")
        @unknown default:
            return DomainError(.invalidJSON, "The body could not be read.")
        }
    }

    /// The path of the first `null` the body sends for a field of `decoded` (its properties, read by
    /// reflection, are the fields the server reads; other keys are ignored like any unknown field),
    /// outside the allowed top-level fields.
    static func firstNull(in json: Any, fieldsOf decoded: Any, path: String, allowed: Set<String>) -> String? {
        switch json {
        case let object as [String: Any]:
            var fields: [String: Any] = [:]
            for child in Mirror(reflecting: unwrapped(decoded)).children {
                if let label = child.label { fields[label] = child.value }
            }
            guard !fields.isEmpty else { return nil }
            for key in object.keys.sorted() {
                guard let field = fields[key] else { continue }
                let child = path.isEmpty ? key : "\(path).\(key)"
                if object[key] is NSNull {
                    if path.isEmpty && allowed.contains(key) { continue }
                    return child
                }
                if let found = firstNull(in: object[key]!, fieldsOf: field, path: child, allowed: []) { return found }
            }
            return nil
        case let array as [Any]:
            let elements = Mirror(reflecting: unwrapped(decoded)).children.map(\.value)
            for (index, (element, value)) in zip(array, elements).enumerated() {
                if element is NSNull { return "\(path)[\(index)]" }
                if let found = firstNull(in: element, fieldsOf: value, path: "\(path)[\(index)]", allowed: []) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// The value inside an `Optional` or a one-payload case (`PatchField.value`), or the value itself.
    private static func unwrapped(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional || mirror.displayStyle == .enum, mirror.children.count == 1,
              let inner = mirror.children.first?.value else { return value }
        return unwrapped(inner)
    }

    /// `phones[1].number` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is UUID.Type: "string"
        case is Int.Type, is Double.Type, is Int64.Type: "number"
        case is Bool.Type: "boolean"
        default: String(describing: type).hasPrefix("Array") ? "array" : "object"
        }
    }

    private static func article(_ type: Any.Type) -> String {
        describe(type) == "array" || describe(type) == "object" ? "an" : "a"
    }

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
