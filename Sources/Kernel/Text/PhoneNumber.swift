import Foundation
import Contracts

/// A telephone number in E.164 form (`+905321234567`).
///
/// Turkish numbers are accepted in every way people type them: `0532 123 45 67`,
/// `+90 (532) 123-4567`, `5321234567`, `90 532 123 45 67`, `0090…`. Other countries need their
/// international form (`+49…` or `0049…`).
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `+` and 8–15 digits.
    public let e164: String

    public init(parsing input: String) throws {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        var digits = ""
        var sawPlus = false
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if character == "+", digits.isEmpty, !sawPlus {
                sawPlus = true
            } else if !" -().\u{00A0}/".contains(character) {
                throw Self.invalid(input)
            }
        }
        var international: Bool = sawPlus
        if !international, digits.hasPrefix("00") {
            digits.removeFirst(2)
            international = true
        }
        if international {
            if digits.hasPrefix("90") {
                e164 = "+90" + (try Self.turkishNational(String(digits.dropFirst(2)), input: input))
            } else {
                guard (8...15).contains(digits.count), digits.first != "0" else { throw Self.invalid(input) }
                e164 = "+" + digits
            }
            return
        }
        let national: String
        if digits.count == 11, digits.hasPrefix("0") {
            national = String(digits.dropFirst())
        } else if digits.count == 12, digits.hasPrefix("90") {
            national = String(digits.dropFirst(2))
        } else {
            national = digits
        }
        e164 = "+90" + (try Self.turkishNational(national, input: input))
    }

    /// A Turkish national significant number: 10 digits, area or operator code starting 2, 3, 4, 5 or 8.
    private static func turkishNational(_ national: String, input: String) throws -> String {
        guard national.count == 10, let first = national.first, "23458".contains(first) else {
            throw invalid(input)
        }
        return national
    }

    private static func invalid(_ input: String) -> DomainError {
        DomainError(.invalidPhone, "'\(input.prefix(40))' is not a valid phone number; use e.g. 0532 123 45 67 or +90 532 123 45 67.")
    }

    public var description: String { e164 }

    /// Whether this is a Turkish number.
    public var isTurkish: Bool { e164.hasPrefix("+90") }

    /// Digit strings under which a search should find this number: the national number and its
    /// trunk form (`5321234567`, `05321234567`) for Turkish numbers, the digits otherwise.
    public var searchForms: [String] {
        isTurkish ? [String(e164.dropFirst(3)), "0" + e164.dropFirst(3)] : [String(e164.dropFirst())]
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }
}
