import Foundation
import Contracts

/// Small checks shared by the kernel's inputs; each records a field error instead of stopping.
///
/// Lengths are counted in Unicode scalars, as JSON Schema's `maxLength` counts code points, and
/// as given (before trimming), so that the OpenAPI document and the server agree on every string.
/// Grapheme clusters are not a bound: one of them may hold any number of combining marks.
/// U+0000 is refused everywhere: PostgreSQL cannot store it in text.
extension FieldErrors {
    /// A required text: at most `maximum` Unicode scalars as given, no NUL; trimmed and spacing
    /// collapsed; not empty then.
    public mutating func requiredText(_ field: String, _ value: String?, maximum: Int) -> String? {
        guard let value else {
            add(field, .missingField, "\(field) is required.")
            return nil
        }
        guard plainText(field, value, maximum: maximum) else { return nil }
        let text = TurkishText.normalizedSpacing(value)
        guard !text.isEmpty else {
            add(field, .invalidValue, "\(field) must not be empty.")
            return nil
        }
        return text
    }

    /// An optional text: at most `maximum` Unicode scalars as given, no NUL; trimmed; empty becomes nil.
    /// With `multiline`, line breaks are kept (notes); otherwise spacing is collapsed.
    public mutating func optionalText(_ field: String, _ value: String?, maximum: Int, multiline: Bool = false) -> String? {
        guard let value, plainText(field, value, maximum: maximum) else { return nil }
        let text = multiline ? value.trimmingCharacters(in: .whitespacesAndNewlines) : TurkishText.normalizedSpacing(value)
        guard !text.isEmpty else { return nil }
        return text
    }

    /// Whether `value` is at most `maximum` Unicode scalars and holds no NUL; records why not.
    @discardableResult
    public mutating func plainText(_ field: String, _ value: String, maximum: Int) -> Bool {
        var count = 0
        for scalar in value.unicodeScalars {
            if scalar.value == 0 {
                add(field, .invalidValue, "\(field) must not contain NUL (U+0000) characters.")
                return false
            }
            count += 1
        }
        guard count <= maximum else {
            add(field, .invalidValue, "\(field) must be at most \(maximum) characters (Unicode scalars).")
            return false
        }
        return true
    }
}
