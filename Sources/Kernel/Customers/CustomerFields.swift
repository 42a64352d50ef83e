import Contracts
import Foundation

/// A customer's editable fields, validated and normalised: phones in E.164, e-mail in lowercase,
/// spacing collapsed, tags unique under Turkish folding.
struct CustomerFields: Sendable {
    var name: String
    var salutation: Salutation?
    var phones: [CustomerPhone]
    var email: String?
    var customerType: String?
    var preferredChannel: ContactChannel
    var branchId: UUID?
    var address: Address
    var notes: String?
    var tags: [String]

    static let maximumPhones = 5
    static let maximumTags = 20

    /// Checks the fields that need no database; the customer type and branch are checked against
    /// the tenant's rows by the caller.
    init(_ draft: CustomerDraft) throws {
        var errors = FieldErrors()
        let name = errors.requiredText("name", draft.name, maximum: 200)

        var salutation: Salutation?
        if let text = draft.salutation {
            if let parsed = Salutation(rawValue: text) { salutation = parsed } else {
                errors.add("salutation", .invalidValue, "salutation must be one of \(Salutation.allCases.map(\.rawValue).joined(separator: ", ")), or null.")
            }
        }

        var phones: [CustomerPhone] = []
        let inputs = draft.phones ?? []
        if inputs.count > Self.maximumPhones {
            errors.add("phones", .invalidValue, "A customer has at most \(Self.maximumPhones) phone numbers.")
        }
        for (index, input) in inputs.prefix(Self.maximumPhones).enumerated() {
            let field = "phones[\(index)]"
            guard let number = input.number else {
                errors.add("\(field).number", .missingField, "\(field).number is required.")
                continue
            }
            guard let phone = errors.collect("\(field).number", { try PhoneNumber(parsing: number) }) else { continue }
            var label = phone.e164.hasPrefix("+905") ? PhoneLabel.mobile : .other
            if let text = input.label {
                if let parsed = PhoneLabel(rawValue: text) {
                    label = parsed
                } else {
                    errors.add("\(field).label", .invalidValue, "label must be one of \(PhoneLabel.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
            }
            if !phones.contains(where: { $0.number == phone.e164 }) {
                phones.append(CustomerPhone(number: phone.e164, label: label))
            }
        }

        let email = errors.collect("email") { try draft.email.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try EmailAddress(parsing: $0).value } } ?? nil

        var channel = ContactChannel.none
        if let text = draft.preferredChannel {
            if let parsed = ContactChannel(rawValue: text) {
                channel = parsed
                if parsed.needsPhone, phones.isEmpty {
                    errors.add("preferredChannel", .invalidValue, "\(parsed.rawValue) needs a phone number.")
                }
                if parsed == .email, email == nil {
                    errors.add("preferredChannel", .invalidValue, "email needs an e-mail address.")
                }
            } else {
                errors.add("preferredChannel", .invalidValue, "preferredChannel must be one of \(ContactChannel.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        } else {
            channel = !phones.isEmpty ? .sms : (email != nil ? .email : .none)
        }

        let source = draft.address ?? Address()
        let address = Address(
            city: errors.optionalText("address.city", source.city, maximum: 80),
            district: errors.optionalText("address.district", source.district, maximum: 80),
            neighbourhood: errors.optionalText("address.neighbourhood", source.neighbourhood, maximum: 80),
            line: errors.optionalText("address.line", source.line, maximum: 300),
            postalCode: errors.optionalText("address.postalCode", source.postalCode, maximum: 10)
        )
        let notes = errors.optionalText("notes", draft.notes, maximum: 4000, multiline: true)

        var tags: [String] = []
        var folded: Set<String> = []
        for (index, text) in (draft.tags ?? []).enumerated() {
            guard let tag = errors.optionalText("tags[\(index)]", text, maximum: 40) else { continue }
            if folded.insert(TurkishText.fold(tag)).inserted { tags.append(tag) }
        }
        if tags.count > Self.maximumTags {
            errors.add("tags", .invalidValue, "A customer has at most \(Self.maximumTags) tags.")
        }
        try errors.throwIfAny()

        self.name = name!
        self.salutation = salutation
        self.phones = phones
        self.email = email
        self.customerType = draft.customerType
        self.preferredChannel = channel
        self.branchId = draft.branchId
        self.address = address
        self.notes = notes
        self.tags = tags
    }

    /// What a search matches: name, e-mail, code and phone numbers, folded for Turkish.
    func searchText(code: String) -> String {
        ([TurkishText.fold(name), email ?? "", code.lowercased()]
            + phones.flatMap { (try? PhoneNumber(parsing: $0.number))?.searchForms ?? [] })
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
