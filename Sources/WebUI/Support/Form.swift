import Contracts
import Foundation
import Hummingbird

/// A posted `application/x-www-form-urlencoded` form: every value of every field, in order.
struct Form: Sendable {
    /// At most this many fields; a bigger form is refused, not truncated.
    static let maximumFields = 2_000

    private(set) var fields: [String: [String]] = [:]

    init(_ pairs: [(String, String)] = []) {
        for (name, value) in pairs { fields[name, default: []].append(value) }
    }

    /// Reads the body of `request` (at most `limit` bytes).
    static func read(_ request: Request, limit: Int) async throws -> Form {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw DomainError(.unsupportedMediaType, "The form must be sent as application/x-www-form-urlencoded.")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw DomainError(.payloadTooLarge, "The form is larger than \(limit / 1024) KB.")
        }
        return try parse(String(buffer: body))
    }

    static func parse(_ text: String) throws -> Form {
        var form = Form()
        var count = 0
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            count += 1
            guard count <= maximumFields else { throw DomainError(.payloadTooLarge, "The form has more than \(maximumFields) fields.") }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw DomainError(.invalidValue, "The form is not valid URL-encoded text.")
            }
            form.fields[name, default: []].append(value)
        }
        return form
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The field's first value, trimmed; nil when missing or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func all(_ name: String) -> [String] {
        fields[name] ?? []
    }

    /// A whole number in the field, or nil when blank; a field that holds something else is an error.
    func integer(_ name: String, label: String) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text) else { throw DomainError.invalid(name, .invalidValue, "\(label) must be a whole number.") }
        return value
    }

    /// Field names that start with `prefix`.
    func names(withPrefix prefix: String) -> [String] {
        fields.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
