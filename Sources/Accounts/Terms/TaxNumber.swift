import Contracts

/// Turkish tax identities: the VKN of a business (10 digits, GİB's check digit) and the TCKN of a
/// person (11 digits, two check digits). e-Arşiv invoices to a person who gives none carry the
/// documented anonymous number.
public enum TaxNumber {
    /// What GİB's e-Arşiv guide prescribes for a buyer who gives no national id.
    public static let anonymous = "11111111111"

    /// Whether `text` is a VKN with a correct check digit.
    public static func isVKN(_ text: String) -> Bool {
        guard let d = digits(text), d.count == 10 else { return false }
        var sum = 0
        for i in 0..<9 {
            let t = (d[i] + 9 - i) % 10
            sum += t == 9 ? 9 : (t * (1 << (9 - i))) % 9
        }
        return (10 - sum % 10) % 10 == d[9]
    }

    /// Whether `text` is a TCKN with correct check digits (or the anonymous number).
    public static func isTCKN(_ text: String) -> Bool {
        if text == anonymous { return true }
        guard let d = digits(text), d.count == 11, d[0] != 0 else { return false }
        let odd = d[0] + d[2] + d[4] + d[6] + d[8]
        let even = d[1] + d[3] + d[5] + d[7]
        return ((odd * 7 - even) % 10 + 10) % 10 == d[9] && d[0..<10].reduce(0, +) % 10 == d[10]
    }

    /// Checks a VKN or TCKN given for `field`.
    static func validate(_ text: String, field: String, errors: inout FieldErrors) {
        switch text.count {
        case 10 where isVKN(text), 11 where isTCKN(text): return
        default:
            errors.add(field, .invalidValue, "\(field) must be a tax number (VKN, 10 digits) or a national id (TCKN, 11 digits) with correct check digits.")
        }
    }

    private static func digits(_ text: String) -> [Int]? {
        var out: [Int] = []
        for scalar in text.unicodeScalars {
            guard ("0"..."9").contains(scalar) else { return nil }
            out.append(Int(scalar.value) - 48)
        }
        return out
    }
}
