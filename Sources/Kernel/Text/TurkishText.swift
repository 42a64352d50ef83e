import Foundation

/// Text rules for Turkish: dotted and dotless i (İ/i, I/ı) and the letters ç ğ ö ş ü.
public enum TurkishText {
    private static let turkish = Locale(identifier: "tr_TR")

    /// Lowercase by Turkish rules: `I` → `ı`, `İ` → `i`.
    public static func lowercased(_ text: String) -> String {
        text.lowercased(with: turkish)
    }

    /// Uppercase by Turkish rules: `i` → `İ`, `ı` → `I`.
    public static func uppercased(_ text: String) -> String {
        text.uppercased(with: turkish)
    }

    /// A search key that ignores case and Turkish letters: lowercase by Turkish rules, then
    /// ı → i, ş → s, ğ → g, ü → u, ö → o, ç → c and other accents dropped. "AYŞE YILMAZ",
    /// "Ayşe Yılmaz" and "ayse yilmaz" all give "ayse yilmaz"; so do "IŞIK" and "Işık" ("isik").
    public static func fold(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in lowercased(text).unicodeScalars {
            switch scalar {
            case "ı", "î", "ï", "í", "ì": result.unicodeScalars.append("i")
            case "ş", "ș": result.unicodeScalars.append("s")
            case "ğ": result.unicodeScalars.append("g")
            case "ü", "û", "ú", "ù": result.unicodeScalars.append("u")
            case "ö", "ô", "ó", "ò": result.unicodeScalars.append("o")
            case "ç": result.unicodeScalars.append("c")
            case "â", "á", "à", "ä", "ã": result.unicodeScalars.append("a")
            case "é", "è", "ê", "ë": result.unicodeScalars.append("e")
            case "\u{0307}": continue // combining dot above, left by decomposed "İ"
            default:
                if scalar.properties.isWhitespace {
                    result.unicodeScalars.append(" ")
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Trims and collapses runs of white space to one space.
    public static func normalizedSpacing(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
