import Foundation

/// The customer card (F1): who they are, how to reach them, where they belong.
public struct Customer: Sendable, Codable, Equatable {
    public let id: UUID
    /// Human-friendly number, sequential per tenant: `C00042`.
    public let code: String
    public let name: String
    /// How messages address the customer: `bey` ("Ahmet Bey"), `hanim` ("Ayşe Hanım"), or nil for the name as written.
    public let salutation: Salutation?
    /// E.164 numbers, the first being the main one.
    public let phones: [CustomerPhone]
    public let email: String?
    /// Code of one of the tenant's customer types.
    public let customerType: String
    public let preferredChannel: ContactChannel
    public let branchId: UUID
    public let address: Address
    public let notes: String?
    public let tags: [String]
    /// Increases with every change; send it back in `If-Match` to update only what you saw.
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date
}

public struct CustomerPhone: Sendable, Codable, Equatable {
    /// E.164, e.g. `+905321234567`.
    public let number: String
    public let label: PhoneLabel

    public init(number: String, label: PhoneLabel) {
        self.number = number
        self.label = label
    }
}

public enum PhoneLabel: String, Sendable, Codable, CaseIterable {
    case mobile, home, work, other
}

/// The Turkish form of address put after a first name.
public enum Salutation: String, Sendable, Codable, CaseIterable {
    case bey, hanim

    public var word: String {
        switch self {
        case .bey: "Bey"
        case .hanim: "Hanım"
        }
    }
}

/// How a customer wants to hear from the business.
public enum ContactChannel: String, Sendable, Codable, CaseIterable {
    case sms, whatsapp, email, phone, none

    var needsPhone: Bool { self == .sms || self == .whatsapp || self == .phone }
}

public struct Address: Sendable, Codable, Equatable {
    public var city: String?
    public var district: String?
    public var neighbourhood: String?
    public var line: String?
    public var postalCode: String?

    public init(city: String? = nil, district: String? = nil, neighbourhood: String? = nil, line: String? = nil, postalCode: String? = nil) {
        self.city = city
        self.district = district
        self.neighbourhood = neighbourhood
        self.line = line
        self.postalCode = postalCode
    }
}
