/// How an SMS text is encoded and how many parts it takes, computed before sending (and shown to
/// the front desk) the way the phone network counts them.
public struct SMSText: Sendable, Equatable {
    public enum Encoding: String, Sendable, Codable {
        /// The GSM 03.38 alphabet: 160 characters, 153 a part when split.
        case gsm7
        /// GSM 7-bit with the Turkish single-shift table (ç ğ ı İ ş Ş Ğ): 155, 149 a part.
        /// Netgsm sends it when asked for `encoding: "TR"`.
        case turkish
        /// Anything else (emoji, other scripts): UCS-2, 70 characters, 67 a part.
        case ucs2
    }

    public let encoding: Encoding
    /// Septets (7-bit) or UTF-16 code units (UCS-2) the text takes.
    public let units: Int
    public let segments: Int

    public init(_ text: String) {
        var septets = 0
        var needsShift = false
        var ucs2 = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                // Most of a message: its weight read from a table rather than hashed into the sets.
                let weight = Self.asciiSeptets[Int(scalar.value)]
                guard weight > 0 else {
                    ucs2 = true
                    break
                }
                septets += Int(weight)
            } else if Self.basic.contains(scalar) {
                septets += 1
            } else if Self.extended.contains(scalar) {
                septets += 2
            } else if Self.turkishShift.contains(scalar) {
                septets += 1
                needsShift = true
            } else {
                ucs2 = true
                break
            }
        }
        if ucs2 {
            let units = text.utf16.count
            encoding = .ucs2
            self.units = units
            segments = units <= 70 ? 1 : (units + 66) / 67
        } else if needsShift {
            encoding = .turkish
            units = septets
            segments = septets <= 155 ? 1 : (septets + 148) / 149
        } else {
            encoding = .gsm7
            units = septets
            segments = septets <= 160 ? 1 : (septets + 152) / 153
        }
    }

    /// The GSM 03.38 basic character set.
    static let basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà".unicodeScalars
    )
    /// Septets of each ASCII character: 1 in the basic set, 2 in the extension table, 0 in neither.
    static let asciiSeptets: [UInt8] = (0..<128).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        return basic.contains(scalar) ? 1 : extended.contains(scalar) ? 2 : 0
    }
    /// Characters of the extension table, sent as an escape and the character (two septets).
    static let extended: Set<Unicode.Scalar> = Set("^{}\\[~]|€\u{0C}".unicodeScalars)
    /// Letters the Turkish single-shift table adds (ş, ğ, ı, İ, Ş, Ğ, ç; Ç, Ö, ö, Ü, ü are basic).
    static let turkishShift: Set<Unicode.Scalar> = Set("şŞğĞıİç".unicodeScalars)
}
