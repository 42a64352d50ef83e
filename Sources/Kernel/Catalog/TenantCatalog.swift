import Contracts
import Foundation
import SQLKit
import Storage

/// A catalog entry as a tenant sees it: the module's default with the tenant's changes, or a
/// service the tenant added.
public struct TenantCatalogItem: Sendable, Codable, Equatable {
    public let item: CatalogItem
    public let active: Bool
    /// Added by the tenant rather than shipped by the sector module.
    public let custom: Bool
    /// A module item whose price, VAT or names the tenant changed.
    public let overridden: Bool

    enum CodingKeys: String, CodingKey {
        case code, name, kind, unit, price, surchargeBasisPoints, variantPrices, vatRate, group, active, custom, overridden
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item.code, forKey: .code)
        try container.encode(item.name, forKey: .name)
        try container.encode(item.kind, forKey: .kind)
        try container.encode(item.unit, forKey: .unit)
        try container.encode(item.price, forKey: .price)
        try container.encodeIfPresent(item.surchargeBasisPoints, forKey: .surchargeBasisPoints)
        try container.encode(item.variantPrices, forKey: .variantPrices)
        try container.encode(item.vatRate, forKey: .vatRate)
        try container.encodeIfPresent(item.group, forKey: .group)
        try container.encode(active, forKey: .active)
        try container.encode(custom, forKey: .custom)
        try container.encode(overridden, forKey: .overridden)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        item = CatalogItem(
            code: try container.decode(String.self, forKey: .code), name: try container.decode(LocalizedText.self, forKey: .name),
            kind: try container.decode(CatalogItem.Kind.self, forKey: .kind), unit: try container.decode(PricingUnit.self, forKey: .unit),
            price: try container.decode(Money.self, forKey: .price),
            surchargeBasisPoints: try container.decodeIfPresent(Int.self, forKey: .surchargeBasisPoints),
            variantPrices: try container.decode([String: Money].self, forKey: .variantPrices),
            vatRate: try container.decode(VATRate.self, forKey: .vatRate), group: try container.decodeIfPresent(String.self, forKey: .group)
        )
        active = try container.decode(Bool.self, forKey: .active)
        custom = try container.decode(Bool.self, forKey: .custom)
        overridden = try container.decode(Bool.self, forKey: .overridden)
    }

    init(item: CatalogItem, active: Bool, custom: Bool, overridden: Bool) {
        self.item = item
        self.active = active
        self.custom = custom
        self.overridden = overridden
    }
}

/// A change to one catalog entry; absent fields stay as they are. A code the module does not
/// ship creates a tenant service (name, unit and price required).
public struct CatalogChange: Sendable, Decodable {
    public var name: LocalizedText?
    public var kind: CatalogItem.Kind?
    public var unit: PricingUnit?
    public var price: Money?
    public var surchargeBasisPoints: Int?
    public var variantPrices: [String: Money]?
    public var vatRate: VATRate?
    public var group: String?
    public var active: Bool?

    public init(name: LocalizedText? = nil, kind: CatalogItem.Kind? = nil, unit: PricingUnit? = nil, price: Money? = nil,
                surchargeBasisPoints: Int? = nil, variantPrices: [String: Money]? = nil, vatRate: VATRate? = nil,
                group: String? = nil, active: Bool? = nil) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.price = price
        self.surchargeBasisPoints = surchargeBasisPoints
        self.variantPrices = variantPrices
        self.vatRate = vatRate
        self.group = group
        self.active = active
    }
}

/// The catalog of a tenant: its sector module's items merged with the tenant's own rows.
enum TenantCatalog {
    static let maximumVariants = 20
    static let maximumName = 120

    static func load(module: any SectorModule, tenantID: UUID, sql: any SQLDatabase) async throws -> [TenantCatalogItem] {
        let rows = try await sql.raw("""
            SELECT code, name_tr, name_en, kind, unit, price, surcharge_bp, variant_prices, vat_bp, item_group, active, custom
            FROM catalog_items WHERE tenant_id = \(bind: tenantID) ORDER BY code
            """).all()
        var overrides: [String: any SQLRow] = [:]
        for row in rows { overrides[try row.decode(column: "code", as: String.self)] = row }
        var result: [TenantCatalogItem] = []
        for base in module.catalog {
            guard let row = overrides.removeValue(forKey: base.code) else {
                result.append(TenantCatalogItem(item: base, active: true, custom: false, overridden: false))
                continue
            }
            result.append(TenantCatalogItem(item: try apply(row, to: base), active: try row.decode(column: "active", as: Bool.self), custom: false, overridden: true))
        }
        for row in rows {
            let code = try row.decode(column: "code", as: String.self)
            guard overrides[code] != nil else { continue }
            let blank = CatalogItem(code: code, name: LocalizedText(tr: code, en: code), unit: .piece, price: .zero)
            result.append(TenantCatalogItem(item: try apply(row, to: blank), active: try row.decode(column: "active", as: Bool.self), custom: true, overridden: false))
        }
        return result
    }

    private static func apply(_ row: any SQLRow, to base: CatalogItem) throws -> CatalogItem {
        var item = base
        if let tr = try row.decode(column: "name_tr", as: String?.self) { item.name.tr = tr }
        if let en = try row.decode(column: "name_en", as: String?.self) { item.name.en = en }
        if let kind = try row.decode(column: "kind", as: String?.self).flatMap(CatalogItem.Kind.init(rawValue:)) { item.kind = kind }
        if let unit = try row.decode(column: "unit", as: String?.self).flatMap(PricingUnit.init(rawValue:)) { item.unit = unit }
        if let price = try row.decode(column: "price", as: Int?.self) { item.price = Money(minorUnits: price) }
        if let surcharge = try row.decode(column: "surcharge_bp", as: Int?.self) { item.surchargeBasisPoints = surcharge }
        if let variants = try row.decode(column: "variant_prices", as: String?.self) {
            item.variantPrices = try StoredJSON.decode([String: Money].self, from: variants)
        }
        if let vat = try row.decode(column: "vat_bp", as: Int?.self) { item.vatRate = VATRate(basisPoints: vat) }
        if let group = try row.decode(column: "item_group", as: String?.self) { item.group = group }
        return item
    }

    /// Writes a change, returning the entry as it now is.
    static func change(
        _ code: String, _ change: CatalogChange, module: any SectorModule, tenantID: UUID, at now: Date, sql: any SQLDatabase
    ) async throws -> (before: TenantCatalogItem?, after: TenantCatalogItem) {
        let current = try await load(module: module, tenantID: tenantID, sql: sql)
        let before = current.first { $0.item.code == code }
        var errors = FieldErrors()
        if before == nil {
            if !(code.count >= 2 && code.count <= 40 && code.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }) {
                errors.add("code", .invalidValue, "A new code must be 2–40 lowercase letters, digits or '_'.")
            }
            if change.name == nil { errors.add("name", .missingField, "A new service needs a name in Turkish and English.") }
            if change.unit == nil { errors.add("unit", .missingField, "A new service needs a unit.") }
            if change.price == nil && change.surchargeBasisPoints == nil { errors.add("price", .missingField, "A new service needs a price.") }
        }
        if let price = change.price, !PriceLimits.price.contains(price.minorUnits) {
            errors.add("price", .invalidValue, "price must be 0 – 1 000 000,00 in kuruş (0–100000000).")
        }
        if let vat = change.vatRate, !PriceLimits.vatBasisPoints.contains(vat.basisPoints) {
            errors.add("vatRate", .invalidValue, "vatRate is in basis points, 0–5000: 2000 for 20 %.")
        }
        if let surcharge = change.surchargeBasisPoints, !PriceLimits.surchargeBasisPoints.contains(surcharge) {
            errors.add("surchargeBasisPoints", .invalidValue, "surchargeBasisPoints must be 0–50000 (+500 %).")
        }
        if let variants = change.variantPrices {
            if variants.count > Self.maximumVariants {
                errors.add("variantPrices", .invalidValue, "An entry has at most \(Self.maximumVariants) variant prices.")
            }
            for (variant, price) in variants.sorted(by: { $0.key < $1.key }) {
                guard errors.plainText("variantPrices", variant, maximum: 40) else { continue }
                if !PriceLimits.price.contains(price.minorUnits) {
                    errors.add("variantPrices.\(variant)", .invalidValue, "a variant price must be 0 – 1 000 000,00 in kuruş (0–100000000).")
                }
            }
        }
        if let name = change.name {
            errors.plainText("name.tr", name.tr, maximum: Self.maximumName)
            errors.plainText("name.en", name.en, maximum: Self.maximumName)
        }
        if let group = change.group { errors.plainText("group", group, maximum: 40) }
        try errors.throwIfAny()
        let variantsJSON = try change.variantPrices.map { SQLJSON(try StoredJSON.encode($0)) }
        try await sql.raw("""
            INSERT INTO catalog_items (tenant_id, code, name_tr, name_en, kind, unit, price, surcharge_bp, variant_prices, vat_bp,
                                       item_group, active, custom, updated_at)
            VALUES (\(bind: tenantID), \(bind: code), \(bind: change.name?.tr), \(bind: change.name?.en), \(bind: change.kind?.rawValue),
                    \(bind: change.unit?.rawValue), \(bind: change.price?.minorUnits), \(bind: change.surchargeBasisPoints),
                    \(variantsJSON.map { $0 as any SQLExpression } ?? SQLLiteral.null), \(bind: change.vatRate?.basisPoints),
                    \(bind: change.group), \(bind: change.active ?? true), \(bind: before == nil), \(bind: now))
            ON CONFLICT (tenant_id, code) DO UPDATE SET
                name_tr = COALESCE(excluded.name_tr, catalog_items.name_tr),
                name_en = COALESCE(excluded.name_en, catalog_items.name_en),
                kind = COALESCE(excluded.kind, catalog_items.kind),
                unit = COALESCE(excluded.unit, catalog_items.unit),
                price = COALESCE(excluded.price, catalog_items.price),
                surcharge_bp = COALESCE(excluded.surcharge_bp, catalog_items.surcharge_bp),
                variant_prices = COALESCE(excluded.variant_prices, catalog_items.variant_prices),
                vat_bp = COALESCE(excluded.vat_bp, catalog_items.vat_bp),
                item_group = COALESCE(excluded.item_group, catalog_items.item_group),
                active = \(bind: change.active ?? before?.active ?? true),
                updated_at = excluded.updated_at
            """).run()
        let after = try await load(module: module, tenantID: tenantID, sql: sql).first { $0.item.code == code }!
        return (before, after)
    }
}
