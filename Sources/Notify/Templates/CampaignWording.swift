import Contracts
import Foundation

/// A campaign's own wording: Mustache text and an e-mail subject with the variables that make sense
/// outside an order (`customer` — "Ahmet Bey" —, `customerName`, `business`, `branch`,
/// `branchPhone`, `points`, `unsubscribe`). Checked as strictly as a sector's templates when the
/// campaign is saved, and compiled again when its messages go.
public struct CampaignWording: Sendable, Equatable {
    public let text: String
    public let subject: String?
    /// Parsed once, when the wording is checked.
    private let template: TemplateBook.Compiled

    /// The variables a campaign may use: those about the customer and the business, not an order.
    public static let variables: Set<String> = ["customer", "customerName", "business", "branch", "branchPhone", "points", "unsubscribe"]

    /// The wording, or the reason it cannot be sent (it does not parse, or names a variable a
    /// campaign does not have).
    public init(text: String, subject: String?) throws {
        self.text = text
        self.subject = subject
        template = try TemplateBook.compile(MessageTemplate(message: .campaign, purpose: .commercial, text: LocalizedText(tr: text, en: text),
                                                            subject: subject.map { LocalizedText(tr: $0, en: $0) }), known: Self.variables)
    }

    var compiled: TemplateBook.Compiled { template }

    public static func == (lhs: CampaignWording, rhs: CampaignWording) -> Bool {
        lhs.text == rhs.text && lhs.subject == rhs.subject
    }
}
