import Contracts

/// Item tag codes: the sector's prefix, a number in Crockford's base 32 (no I, L, O, U, so that
/// nothing is misread) of at least five characters, and a Luhn mod 32 check character that catches
/// every single wrong character and nearly every swap of neighbours. `KT0001C` + `7`.
///
/// Scanners and people may send any case, with spaces or hyphens, and O for 0 or I/L for 1: all
/// are read back to the same code. The code is plain ASCII, so Code 128 barcodes and RFID tags carry it.
public enum TagCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let bodyLength = 5

    public static func make(prefix: String, number: Int) -> String {
        precondition(number >= 0, "tag numbers are not negative")
        var digits: [Character] = []
        var rest = number
        repeat {
            digits.insert(alphabet[rest % 32], at: 0)
            rest /= 32
        } while rest > 0
        let body = String(repeating: "0", count: max(0, bodyLength - digits.count)) + String(digits)
        return prefix + body + String(checkCharacter(for: body))
    }

    /// What the API accepts as a tag before reading it (the OpenAPI document states the same
    /// pattern): 7–40 letters and digits, with spaces, hyphens and dots between them.
    public static let shape = #"^[ .-]*([0-9A-Za-z][ .-]*){7,40}$"#
    nonisolated(unsafe) private static let shapeRegex = try! Regex(shape)

    /// The canonical code for what was scanned or typed. Text of another shape is `invalid_tag`
    /// (422); a well-formed code that cannot be one of this business's tags (another prefix, a
    /// wrong check character) is `unknown_tag` (404), saying why.
    public static func parse(_ input: String, prefix: String) throws -> String {
        guard input.utf8.count <= 200, (try? shapeRegex.wholeMatch(in: input)) != nil else {
            throw DomainError(.invalidTag, "'\(input.prefix(24))' is not a tag code: 7–40 letters and digits, with spaces or hyphens between them.")
        }
        let compact = input.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "." }
        guard compact.hasPrefix(prefix) else { throw invalid(input, "does not start with \(prefix).") }
        let mapped = compact.dropFirst(prefix.count).map { character -> Character in
            switch character {
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
        }
        guard mapped.count >= bodyLength + 1, mapped.allSatisfy({ alphabet.contains($0) }) else {
            throw invalid(input, "is not a tag code of this business.")
        }
        let body = String(mapped.dropLast())
        guard checkCharacter(for: body) == mapped.last else { throw invalid(input, "fails its check character; was it mistyped?") }
        return prefix + String(mapped)
    }

    /// Luhn mod N over the base-32 alphabet.
    static func checkCharacter(for body: String) -> Character {
        let n = alphabet.count
        var factor = 2
        var sum = 0
        for character in body.reversed() {
            var addend = factor * (alphabet.firstIndex(of: character) ?? 0)
            factor = factor == 2 ? 1 : 2
            addend = addend / n + addend % n
            sum += addend
        }
        return alphabet[(n - sum % n) % n]
    }

    private static func invalid(_ input: String, _ reason: String) -> DomainError {
        DomainError(.unknownTag, "No item here has the tag '\(input.prefix(24))': it \(reason)")
    }
}
