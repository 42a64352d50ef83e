import Foundation
import Contracts

/// An e-mail address, checked for a plausible shape and stored in lowercase.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// The one form an address is stored, looked up and throttled by: trimmed, NFKC, lowercase.
    public static func normalized(_ input: String) -> String {
        input.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCompatibilityMapping.lowercased()
    }

    public init(parsing input: String) throws {
        let address = Self.normalized(input)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.utf8.count <= 254 else { throw Self.invalid(input) }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.unicodeScalars.allSatisfy({ Self.localCharacters.contains($0) || $0.value > 127 })
        else { throw Self.invalid(input) }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy({ $0.isLetter }),
              labels.allSatisfy({ label in
                  !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                      && label.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" }
              })
        else { throw Self.invalid(input) }
        value = address
    }

    /// The part before `@`.
    public var localPart: String { String(value.prefix(while: { $0 != "@" })) }

    public var description: String { value }

    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-".unicodeScalars)

    private static func invalid(_ input: String) -> DomainError {
        DomainError(.invalidEmail, "'\(input.prefix(60))' is not a valid e-mail address.")
    }
}
