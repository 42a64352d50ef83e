import Foundation

/// Times as the document's `date-time` format means them (RFC 3339): any case, an optional
/// fraction of a second, any offset; and `date` (a calendar day, midnight UTC).
enum RFC3339 {
    static func dateTime(_ text: String) -> Date? {
        let text = text.uppercased()
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func day(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    /// For request bodies: a `date-time` field that is not one names itself.
    static let decoding = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        guard let date = dateTime(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date-time")
        }
        return date
    }
}
