import Contracts
import Foundation

/// One page of a list, newest first, and the cursor of the next page (nil on the last).
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// How much of a list to return: at most `limit` items after `cursor` (an opaque token from the
/// previous page).
public struct PageRequest: Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public let limit: Int
    /// The position after which the page starts (exclusive), decoded from the cursor.
    public let after: Int?

    public init(limit: Int? = nil, cursor: String? = nil) throws {
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw DomainError.invalid("limit", .invalidParameter, "limit must be between 1 and \(Self.maximumLimit).")
        }
        self.limit = limit
        if let cursor {
            guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
                  text.hasPrefix("p:"), let position = Int(text.dropFirst(2)) else {
                throw DomainError.invalid("cursor", .invalidParameter, "cursor is not one this server issued.")
            }
            self.after = position
        } else {
            self.after = nil
        }
    }

    static func cursor(after position: Int) -> String {
        Data("p:\(position)".utf8).base64EncodedString()
    }

    /// The page of `rows` (fetched with limit + 1 to learn whether more follow).
    func page<Row, Item>(_ rows: [Row], position: (Row) -> Int, item: (Row) -> Item) -> Page<Item> {
        let kept = rows.prefix(limit)
        let next = rows.count > limit ? kept.last.map { Self.cursor(after: position($0)) } : nil
        return Page(items: kept.map(item), nextCursor: next)
    }
}
