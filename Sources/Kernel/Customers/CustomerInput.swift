import Foundation

/// A customer as submitted: every field optional here, so that validation can name each problem.
public struct CustomerDraft: Sendable, Decodable {
    /// The fields a client may send as `null` (to say "none", or in a patch to clear them).
    public static let nullableFields: Set<String> = ["email", "notes", "salutation"]

    public var name: String?
    public var salutation: String?
    public var phones: [PhoneInput]?
    public var email: String?
    public var customerType: String?
    public var preferredChannel: String?
    public var branchId: UUID?
    public var address: Address?
    public var notes: String?
    public var tags: [String]?

    public init(
        name: String?, phones: [PhoneInput]? = nil, email: String? = nil, customerType: String? = nil,
        preferredChannel: String? = nil, branchId: UUID? = nil, address: Address? = nil, notes: String? = nil, tags: [String]? = nil,
        salutation: String? = nil
    ) {
        self.name = name
        self.salutation = salutation
        self.phones = phones
        self.email = email
        self.customerType = customerType
        self.preferredChannel = preferredChannel
        self.branchId = branchId
        self.address = address
        self.notes = notes
        self.tags = tags
    }

    init(_ customer: Customer) {
        self.init(
            name: customer.name, phones: customer.phones.map { PhoneInput(number: $0.number, label: $0.label.rawValue) },
            email: customer.email, customerType: customer.customerType, preferredChannel: customer.preferredChannel.rawValue,
            branchId: customer.branchId, address: customer.address, notes: customer.notes, tags: customer.tags,
            salutation: customer.salutation?.rawValue
        )
    }
}

public struct PhoneInput: Sendable, Decodable {
    public var number: String?
    public var label: String?

    public init(number: String?, label: String? = nil) {
        self.number = number
        self.label = label
    }
}

/// A change to some fields of a customer (JSON merge-patch rules): an absent field stays, `null`
/// clears it, a value replaces it (lists and the address as a whole).
public struct CustomerPatch: Sendable, Decodable {
    public var name: PatchField<String> = .absent
    public var salutation: PatchField<String> = .absent
    public var phones: PatchField<[PhoneInput]> = .absent
    public var email: PatchField<String> = .absent
    public var customerType: PatchField<String> = .absent
    public var preferredChannel: PatchField<String> = .absent
    public var branchId: PatchField<UUID> = .absent
    public var address: PatchField<Address> = .absent
    public var notes: PatchField<String> = .absent
    public var tags: PatchField<[String]> = .absent

    public init() {}

    enum CodingKeys: String, CodingKey {
        case name, salutation, phones, email, customerType, preferredChannel, branchId, address, notes, tags
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodePatch(forKey: .name)
        salutation = try container.decodePatch(forKey: .salutation)
        phones = try container.decodePatch(forKey: .phones)
        email = try container.decodePatch(forKey: .email)
        customerType = try container.decodePatch(forKey: .customerType)
        preferredChannel = try container.decodePatch(forKey: .preferredChannel)
        branchId = try container.decodePatch(forKey: .branchId)
        address = try container.decodePatch(forKey: .address)
        notes = try container.decodePatch(forKey: .notes)
        tags = try container.decodePatch(forKey: .tags)
    }

    /// The customer as it would be with this patch applied, ready for the same validation as a new one.
    func applied(to customer: Customer) -> CustomerDraft {
        var draft = CustomerDraft(customer)
        draft.name = name.applied(to: draft.name)
        draft.salutation = salutation.applied(to: draft.salutation)
        draft.phones = phones.applied(to: draft.phones)
        draft.email = email.applied(to: draft.email)
        draft.customerType = customerType.applied(to: draft.customerType)
        draft.preferredChannel = preferredChannel.applied(to: draft.preferredChannel)
        draft.branchId = branchId.applied(to: draft.branchId)
        draft.address = address.applied(to: draft.address)
        draft.notes = notes.applied(to: draft.notes)
        draft.tags = tags.applied(to: draft.tags)
        return draft
    }
}

/// One field of a patch: left out, set to null, or set to a value.
public enum PatchField<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    public func applied(to current: Value?) -> Value? {
        switch self {
        case .absent: current
        case .null: nil
        case .value(let value): value
        }
    }
}

extension KeyedDecodingContainer {
    /// A patch field: absent when the key is missing, `.null` for JSON null, else the value.
    public func decodePatch<Value: Decodable & Sendable>(forKey key: Key) throws -> PatchField<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }
}
