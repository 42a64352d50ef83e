import Contracts

/// Turkish number plates: a province code 01–81, then 1–3 letters, then 2–4 digits, as
/// `34 A 1234`, `34 AB 123`/`34 AB 1234` or `34 ABC 12`/`34 ABC 123`. Plates use the letters of
/// the Latin alphabet without Q, W and X, and none of Ç Ğ İ Ö Ş Ü.
public enum TurkishPlate {
    static let letters = Set("ABCDEFGHIJKLMNOPRSTUVYZ")

    /// The plate written the standard way, or an `invalid_value` error.
    public static func normalize(_ input: String) throws -> String {
        let compact = input.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        let province = compact.prefix { $0.isASCII && $0.isNumber }
        let rest = compact.dropFirst(province.count)
        let series = rest.prefix { $0.isLetter }
        let number = rest.dropFirst(series.count)
        guard province.count == 2, let code = Int(province), (1...81).contains(code),
              series.allSatisfy(letters.contains),
              number.allSatisfy({ $0.isASCII && $0.isNumber }),
              allowed(letters: series.count, digits: number.count)
        else {
            throw DomainError(.invalidValue, "'\(input.prefix(20))' is not a Turkish plate such as 34 ABC 123.")
        }
        return "\(province) \(series) \(number)"
    }

    private static func allowed(letters: Int, digits: Int) -> Bool {
        switch letters {
        case 1: digits == 4
        case 2: digits == 3 || digits == 4
        case 3: digits == 2 || digits == 3
        default: false
        }
    }
}
