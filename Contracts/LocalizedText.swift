/// A short text in the languages the product ships with: Turkish (the default) and English.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var tr: String
    public var en: String

    public init(tr: String, en: String) {
        self.tr = tr
        self.en = en
    }

    /// The text for a language tag such as `tr`, `en` or `en-GB`; Turkish when the language is unknown.
    public func text(for language: String) -> String {
        language.lowercased().hasPrefix("en") ? en : tr
    }
}
