import Foundation
import Contracts

/// Small checks shared by the kernel's inputs; each records a field error instead of stopping.
extension FieldErrors {
    /// A required text: trimmed, spacing collapsed, 1…`maximum` characters.
    mutating func requiredText(_ field: String, _ value: String?, maximum: Int) -> String? {
        guard let value else {
            add(field, .missingField, "\(field) is required.")
            return nil
        }
        let text = TurkishText.normalizedSpacing(value)
        guard !text.isEmpty else {
            add(field, .invalidValue, "\(field) must not be empty.")
            return nil
        }
        guard text.count <= maximum else {
            add(field, .invalidValue, "\(field) must be at most \(maximum) characters.")
            return nil
        }
        return text
    }

    /// An optional text: trimmed; empty becomes nil; at most `maximum` characters.
    /// With `multiline`, line breaks are kept (notes); otherwise spacing is collapsed.
    mutating func optionalText(_ field: String, _ value: String?, maximum: Int, multiline: Bool = false) -> String? {
        guard let value else { return nil }
        let text = multiline ? value.trimmingCharacters(in: .whitespacesAndNewlines) : TurkishText.normalizedSpacing(value)
        guard !text.isEmpty else { return nil }
        guard text.count <= maximum else {
            add(field, .invalidValue, "\(field) must be at most \(maximum) characters.")
            return nil
        }
        return text
    }
}
