/// Codes people and modules name things by (a stage id, an appointment kind): a lowercase ASCII
/// letter, then lowercase letters, digits or `_`.
public enum CodeText {
    public static func isCode(_ text: String, maximumLength: Int) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= maximumLength, (97...122).contains(first) else { return false }
        return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }
}
