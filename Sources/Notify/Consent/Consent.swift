import Contracts
import Foundation

/// Where a consent change came from, as İYS records it.
public enum ConsentSource: String, Sendable, Codable, CaseIterable {
    case frontDesk = "front_desk"
    case webForm = "web_form"
    case smsReply = "sms_reply"
    case whatsAppReply = "whatsapp_reply"
    case emailLink = "email_link"
    case `import`
}

/// One grant or withdrawal, as the history keeps it for good.
public struct ConsentEntry: Sendable, Codable, Equatable {
    public let id: UUID
    public let customerId: UUID
    public let channel: MessageChannel
    public let purpose: MessagePurpose
    public let granted: Bool
    public let source: ConsentSource
    /// `user:<id>` for staff, `customer` for the customer's own reply or click, `import`.
    public let actor: String
    public let note: String?
    public let recordedAt: Date
}

/// What holds now for one channel and purpose.
public struct ConsentState: Sendable, Codable, Equatable {
    public let channel: MessageChannel
    public let purpose: MessagePurpose
    /// Whether messages of this purpose may go out on this channel.
    public let allowed: Bool
    /// The entry that decided it; nil when nothing was ever recorded (transactional messages are
    /// then allowed, commercial ones are not).
    public let since: Date?
    public let source: ConsentSource?
}

/// A change asked for through the API or the front desk.
public struct ConsentChange: Sendable, Codable, Equatable {
    public let channel: MessageChannel
    public let purpose: MessagePurpose
    public let granted: Bool
    public let source: ConsentSource
    public let note: String?

    public init(channel: MessageChannel, purpose: MessagePurpose, granted: Bool, source: ConsentSource, note: String? = nil) {
        self.channel = channel
        self.purpose = purpose
        self.granted = granted
        self.source = source
        self.note = note
    }
}

/// The rule: commercial messages only with a commercial consent that was granted and not
/// withdrawn since; transactional ones unless the customer withdrew them for the channel.
enum ConsentRule {
    static func allows(purpose: MessagePurpose, latest: Bool?) -> Bool {
        switch purpose {
        case .commercial: latest == true
        case .transactional: latest != false
        }
    }
}
