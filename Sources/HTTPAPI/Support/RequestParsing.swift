import Contracts
import Foundation
import HTTPTypes
import Hummingbird

extension Request {
    /// A query parameter's text, nil when absent or empty.
    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A query parameter as sent, nil only when absent (an empty value is a value).
    func queryGiven(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)
    }

    /// A whole-number query parameter; 400 when it is not one (an empty value included).
    func queryInt(_ name: String) throws -> Int? {
        guard let text = queryGiven(name) else { return nil }
        guard let value = Int(text) else { throw APIError.invalidParameter(name, "\(name) must be a whole number.") }
        return value
    }

    /// A UUID query parameter; 400 when it is not one (an empty value included).
    func queryUUID(_ name: String) throws -> UUID? {
        guard let text = queryGiven(name) else { return nil }
        guard let value = UUID(uuidString: text) else { throw APIError.invalidParameter(name, "\(name) must be a UUID.") }
        return value
    }

    /// The version in `If-Match` (`"3"` or `W/"3"`), nil without the header or for `*`.
    /// A query parameter that is a date (2026-11-26, midnight UTC) or a time (2026-11-26T09:00:00Z).
    func queryDate(_ name: String) throws -> Date? {
        guard let text = queryGiven(name) else { return nil }
        guard let date = RFC3339.dateTime(text) ?? RFC3339.day(text) else {
            throw APIError.invalidParameter(name, "\(name) must be a date (2026-11-26) or a time (2026-11-26T09:00:00Z).")
        }
        return date
    }

    func ifMatchVersion() throws -> Int? {
        guard let header = headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), header != "*" else { return nil }
        let tag = header.hasPrefix("W/") ? String(header.dropFirst(2)) : header
        guard let version = Int(tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
            throw APIError.invalidParameter("If-Match", "If-Match must be the ETag of the record, e.g. \"3\".")
        }
        return version
    }
}

extension RequestContext {
    /// The UUID in a path parameter. A malformed id cannot name anything, so it answers 404.
    func id(_ name: String = "id", of what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw DomainError.notFound(what)
        }
        return id
    }
}

/// An entity tag for a record version.
func entityTag(_ version: Int) -> String {
    "\"\(version)\""
}
