import Foundation
import SQLKit

/// A shop of a tenant. Branch-scoped staff see only their branch's rows.
public struct Branch: Sendable, Codable, Equatable {
    public let id: UUID
    /// Short code printed on labels and reports, e.g. `KADIKOY`.
    public let code: String
    public let name: String
    public let phone: String?
    public let city: String?
    public let district: String?
    public let addressLine: String?
    public let createdAt: Date

    static let columns = "id, code, name, phone, city, district, address_line, created_at"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        code = try row.decode(column: "code", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        phone = try row.decode(column: "phone", as: String?.self)
        city = try row.decode(column: "city", as: String?.self)
        district = try row.decode(column: "district", as: String?.self)
        addressLine = try row.decode(column: "address_line", as: String?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
    }

    init(id: UUID, code: String, name: String, phone: String?, city: String?, district: String?, addressLine: String?, createdAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.phone = phone
        self.city = city
        self.district = district
        self.addressLine = addressLine
        self.createdAt = createdAt
    }
}

/// Input for a new branch.
public struct NewBranch: Sendable, Decodable {
    public var code: String?
    public var name: String?
    public var phone: String?
    public var city: String?
    public var district: String?
    public var addressLine: String?

    public init(code: String?, name: String?, phone: String? = nil, city: String? = nil, district: String? = nil, addressLine: String? = nil) {
        self.code = code
        self.name = name
        self.phone = phone
        self.city = city
        self.district = district
        self.addressLine = addressLine
    }
}
