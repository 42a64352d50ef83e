import Contracts
import Foundation

/// A marketing campaign (F11): one wording sent to the customers its audience picks, now, at a
/// set time or every so many days, only to those with commercial consent and never at night.
public struct Campaign: Sendable, Codable, Equatable {
    /// Which channels the campaign's messages may take.
    public enum Channel: String, Sendable, Codable, CaseIterable {
        /// Each customer's preferred channel, then the tenant's order.
        case preferred
        case sms
        case email

        /// The channels in the order tried; nil for the customer's own order.
        public var channels: [MessageChannel]? {
            switch self {
            case .preferred: nil
            case .sms: [.sms]
            case .email: [.email]
            }
        }
    }

    public enum Status: String, Sendable, Codable {
        /// A run is ahead (or going on).
        case active
        /// Every run is done (a campaign that does not repeat).
        case finished
        case cancelled
    }

    public let id: UUID
    public let name: String
    /// Mustache, with `CampaignWording.variables` ("Merhaba {{customer}}" ⇒ "Merhaba Ahmet Bey").
    public let text: String
    /// The e-mail subject; the business's name when nil.
    public let subject: String?
    public let channel: Channel
    public let audience: CampaignAudience
    /// When the first run goes.
    public let startsAt: Date
    /// Days between runs; nil for a single run.
    public let repeatDays: Int?
    public let status: Status
    /// Runs made so far.
    public let runs: Int
    /// When the next run goes (nil when none is ahead).
    public let nextRunAt: Date?
    public let createdAt: Date
}

/// Who a campaign writes to: the tenant's customers, narrowed by any of these (all of them apply).
public struct CampaignAudience: Sendable, Codable, Equatable {
    /// Customers of this type (`customerType` codes: individual, corporate, vip …).
    public var customerType: String?
    /// Customers whose card is kept at this branch.
    public var branchId: UUID?
    /// Customers with no order and no till sale for at least this many days (win-back).
    public var inactiveDays: Int?

    public init(customerType: String? = nil, branchId: UUID? = nil, inactiveDays: Int? = nil) {
        self.customerType = customerType
        self.branchId = branchId
        self.inactiveDays = inactiveDays
    }
}

/// A campaign as the owner or a branch manager asks for it.
public struct CampaignInput: Sendable, Decodable {
    public var name: String?
    public var text: String?
    public var subject: String?
    public var channel: String?
    public var audience: CampaignAudience?
    /// Nil: now.
    public var startsAt: Date?
    public var repeatDays: Int?

    public init(name: String?, text: String?, subject: String? = nil, channel: String? = nil, audience: CampaignAudience? = nil,
                startsAt: Date? = nil, repeatDays: Int? = nil) {
        self.name = name
        self.text = text
        self.subject = subject
        self.channel = channel
        self.audience = audience
        self.startsAt = startsAt
        self.repeatDays = repeatDays
    }
}

/// What became of a campaign's messages, per customer and run: each targeted customer is in
/// exactly one of queued, sent, delivered, failed, skippedConsent and skipped.
public struct CampaignReport: Sendable, Codable, Equatable {
    public let campaignId: UUID
    public let runs: Int
    /// Customers picked, summed over the runs.
    public let targeted: Int
    /// Not sent yet: waiting (e.g. for the quiet hours to end) or retrying.
    public let queued: Int
    /// Taken by the provider, no delivery report yet.
    public let sent: Int
    /// Reported delivered (or read).
    public let delivered: Int
    /// Refused for good on every channel tried.
    public let failed: Int
    /// Passed over: no commercial consent on any channel it could take.
    public let skippedConsent: Int
    /// Passed over for another reason (no address, the channel not set up, the card deleted).
    public let skipped: Int
    /// Customers who withdrew commercial consent after a run reached them (e.g. replied RET).
    public let optedOut: Int
}
