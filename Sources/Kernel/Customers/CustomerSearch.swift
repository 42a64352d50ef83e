import Foundation

/// Turns what someone types in the search box into terms every match must contain.
///
/// Text is folded for Turkish and split into words ("ayse yil" finds "AYŞE YILMAZ"). Input that
/// looks like a phone number in any format ("0532 123 45", "+90 532…") becomes one run of digits
/// matched against the stored national and trunk forms.
enum CustomerSearch {
    static func terms(_ query: String) -> [String] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        let digits = trimmed.filter { $0.isASCII && $0.isNumber }
        let phoneLike = trimmed.allSatisfy { ($0.isASCII && $0.isNumber) || " +-().".contains($0) }
        if phoneLike, digits.count >= 3 {
            return [phoneDigits(digits, international: trimmed.hasPrefix("+") || trimmed.hasPrefix("00"))]
        }
        return TurkishText.fold(trimmed).split(separator: " ").map(String.init)
    }

    /// Drops a Turkish country prefix so that the digits line up with the stored national form.
    private static func phoneDigits(_ digits: String, international: Bool) -> String {
        var digits = Substring(digits)
        if digits.hasPrefix("00") { digits = digits.dropFirst(2) }
        if digits.hasPrefix("90"), international || digits.count > 10 { digits = digits.dropFirst(2) }
        return String(digits)
    }

    /// A LIKE pattern matching `term` anywhere, with LIKE's wildcards escaped (ESCAPE '\').
    static func containsPattern(_ term: String) -> String {
        var escaped = ""
        for character in term {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%\(escaped)%"
    }
}
