import Contracts

/// Checks a new password: at least 10 characters, not a commonly used password (or a common word
/// dressed up with digits and symbols, such as `Galatasaray1905!`), not a run or repetition of
/// characters, and not containing the local part of the user's e-mail address.
public struct PasswordPolicy: Sendable {
    public let minimumLength: Int

    public init(minimumLength: Int = 10) {
        self.minimumLength = minimumLength
    }

    /// Throws `weak_password` with the reason; the caller names the field.
    public func check(_ password: String, email: String?) throws {
        func weak(_ reason: String) -> DomainError {
            DomainError(.weakPassword, reason)
        }
        // Counted in Unicode scalars, as the document's minLength and maxLength count them.
        let length = password.unicodeScalars.count
        guard length >= minimumLength else {
            throw weak("The password must be at least \(minimumLength) characters long.")
        }
        guard length <= 128, !password.unicodeScalars.contains("\u{0}") else {
            throw weak("The password must be at most 128 characters long, without NUL.")
        }
        let folded = TurkishText.fold(password)
        if CommonPasswords.exact.contains(folded) {
            throw weak("This password is among the most commonly used ones; choose another.")
        }
        let letters = String(folded.filter { $0.isLetter })
        if letters.isEmpty {
            throw weak("A password of digits and symbols only is easy to guess (phone numbers, dates); add letters.")
        }
        if CommonPasswords.words.contains(letters) || (letters.count <= 3 && Self.isRunOrRepeat(folded.filter { $0.isNumber })) {
            throw weak("This password is a common word or pattern with digits or symbols added; choose another.")
        }
        if Set(folded).count <= 3 || Self.isRunOrRepeat(folded) {
            throw weak("The password repeats or runs through too few characters; choose another.")
        }
        if let email, let local = email.split(separator: "@").first, local.count >= 3,
           folded.contains(TurkishText.fold(String(local))) {
            throw weak("The password must not contain your e-mail address.")
        }
    }

    /// Whether `text` is a sequence like `abcdef`, `9876543210`, `qwerty` or `121212` that an attacker tries early.
    static func isRunOrRepeat(_ text: String) -> Bool {
        guard text.count >= 2 else { return true }
        for sequence in runs where sequence.contains(text) || String(sequence.reversed()).contains(text) {
            return true
        }
        // A short unit repeated: "abab…", "123123…".
        let characters = Array(text)
        for unit in 1...min(4, characters.count / 2) where characters.count % unit == 0 {
            if characters.indices.allSatisfy({ characters[$0] == characters[$0 % unit] }) { return true }
        }
        return false
    }

    private static let runs = ["01234567890123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
}
