/// A message a customer receives: on entering a notifying stage, or one of the other occasions a
/// business writes (a receipt, a reminder). Written in Mustache (`{{customer}}`, `{{#items}}…{{/items}}`)
/// with the variables of `MessageVariables`; checked when the server starts, so a misspelt name
/// stops it instead of reaching a customer. Tenants may override any template.
public struct MessageTemplate: Sendable, Equatable {
    public var message: MessageKind
    /// Transactional messages follow the customer's channel choices; commercial ones need their
    /// recorded commercial consent (İYS) and are never sent at night.
    public var purpose: MessagePurpose
    /// The channel this wording is for; nil for every channel that has no wording of its own.
    public var channel: MessageChannel?
    public var text: LocalizedText
    /// The e-mail subject (e-mail only; the server uses the business's name when there is none).
    public var subject: LocalizedText?
    /// The WhatsApp template approved by Meta for this message, with the variables that fill its
    /// body parameters in order. Outside the 24-hour service window WhatsApp takes only approved
    /// templates; without one the message goes to the next channel.
    public var whatsApp: WhatsAppTemplate?

    public init(message: MessageKind, purpose: MessagePurpose = .transactional, channel: MessageChannel? = nil,
                text: LocalizedText, subject: LocalizedText? = nil, whatsApp: WhatsAppTemplate? = nil) {
        self.message = message
        self.purpose = purpose
        self.channel = channel
        self.text = text
        self.subject = subject
        self.whatsApp = whatsApp
    }

    /// A transactional message on entering `stage`.
    public init(stage: String, text: LocalizedText, whatsApp: WhatsAppTemplate? = nil) {
        self.init(message: .stage(stage), text: text, whatsApp: whatsApp)
    }

    /// The stage this message is sent on, if it is a stage's.
    public var stage: String? {
        if case .stage(let stage) = message { stage } else { nil }
    }
}

/// The occasions a business writes to a customer.
public enum MessageKind: Sendable, Hashable {
    /// The order entered this (notifying) stage.
    case stage(String)
    /// The order was taken in: what was left and what it costs.
    case receipt
    /// Ready for a while and not collected.
    case uncollectedReminder
    /// An appointment is coming (24 h and 2 h before).
    case appointmentReminder
    /// Loyalty points are about to lapse.
    case pointsExpiry
    /// What the customer owes is past its due date (the account's reminder plan).
    case paymentReminder
    /// The account statement of a period, with the statement attached (e-mail only).
    case accountStatement
    /// A marketing campaign's message: the campaign brings its own wording (commercial), so no
    /// sector writes one.
    case campaign

    /// A stable id: `stage.ready`, `receipt`, `uncollected_reminder` …
    public var id: String {
        switch self {
        case .stage(let stage): "stage." + stage
        case .receipt: "receipt"
        case .uncollectedReminder: "uncollected_reminder"
        case .appointmentReminder: "appointment_reminder"
        case .pointsExpiry: "points_expiry"
        case .paymentReminder: "payment_reminder"
        case .accountStatement: "account_statement"
        case .campaign: "campaign"
        }
    }

    /// The kind of a stable id, nil for an unknown one.
    public init?(id: String) {
        switch id {
        case "receipt": self = .receipt
        case "uncollected_reminder": self = .uncollectedReminder
        case "appointment_reminder": self = .appointmentReminder
        case "points_expiry": self = .pointsExpiry
        case "payment_reminder": self = .paymentReminder
        case "account_statement": self = .accountStatement
        case "campaign": self = .campaign
        default:
            guard id.hasPrefix("stage."), id.count > 6 else { return nil }
            self = .stage(String(id.dropFirst(6)))
        }
    }
}

/// Why a message is sent, as KVKK and İYS (the commercial message register) tell them apart.
public enum MessagePurpose: String, Sendable, Hashable, Codable, CaseIterable {
    /// About the customer's own order or appointment (informational; no İYS consent needed).
    case transactional
    /// Marketing: campaigns, offers, points reminders meant to bring the customer back.
    case commercial
}

/// The channels a message can go out on.
public enum MessageChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case sms, whatsapp, email
}

/// A template Meta approved for a WhatsApp Business account: its name and the variables that
/// fill `{{1}}`, `{{2}}` … of its body, in order.
public struct WhatsAppTemplate: Sendable, Equatable {
    public var name: String
    public var parameters: [String]

    public init(name: String, parameters: [String]) {
        self.name = name
        self.parameters = parameters
    }
}

/// The variables a template may use. Any other name stops the server at start-up.
public enum MessageVariables {
    /// The customer as addressed: first name and form of address ("Ahmet Bey", "Ayşe Hanım"), or the full name.
    public static let customer = "customer"
    /// Every variable, with what it holds.
    public static let all: [String: String] = [
        "customer": "the customer as addressed (\"Ahmet Bey\", \"Ayşe Hanım\", or the name as written)",
        "customerName": "the customer's name as written on the card",
        "order": "the order number (S000042)",
        "items": "the order's items, a list: each has service, tag and quantity",
        "itemCount": "how many items the order has",
        "amount": "the order's total (1.250,00 ₺)",
        "amountDue": "what is still to be paid (1.250,00 ₺)",
        "dueAt": "when an overdue amount was due (12.03.2026)",
        "periodFrom": "the first day a statement covers (01.11.2026)",
        "periodTo": "the last day a statement covers (30.11.2026)",
        "balance": "the account's balance at the end of a statement (1.250,00 ₺; negative when in credit)",
        "readyAt": "when the order is expected to be ready (12.03.2026 14:00)",
        "stage": "the name of the stage the order entered",
        "business": "the business's name",
        "branch": "the branch's name",
        "branchPhone": "the branch's phone number",
        "appointmentAt": "the appointment's date and time",
        "points": "the customer's loyalty points",
        "pointsExpireAt": "when the points lapse",
        "unsubscribe": "the link that ends commercial e-mail (e-mail only)",
    ]
    /// Names inside `items`.
    public static let itemFields: Set<String> = ["service", "tag", "quantity"]
}
