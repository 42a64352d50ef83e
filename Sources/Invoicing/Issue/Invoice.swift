import Foundation

/// An issued invoice and where its export stands.
public struct Invoice: Sendable, Encodable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// One retail order.
        case order
        /// A corporate customer's orders delivered in one month.
        case monthly
    }

    public enum Status: String, Sendable, Codable {
        /// Issued; the UBL-TR document is being written.
        case issued
        /// The UBL-TR document is ready to download.
        case exported
    }

    public let id: UUID
    public let number: String
    public let kind: Kind
    public let customerId: UUID
    public let period: String?
    public let issueDate: String
    /// Kuruş.
    public let payable: Int
    public let status: Status
    public let exportedAt: Date?
    public let createdAt: Date
    public let document: InvoiceDocument
}
