/// What a sector module (dry cleaning, carpet, …) is, as the kernel sees it.
///
/// A module is a plain value: the kernel reads its declarations and calls its pricing, and never
/// names a sector itself. Adding a sector means a new folder in `Plugins/` whose module conforms to
/// this protocol, and one line in the executable's module list. See docs/plugin-authoring.md.
public protocol SectorModule: Sendable {
    /// Who the module is: a stable id tenants are created with, a version and display names.
    var identity: SectorIdentity { get }
    /// Schema changes the module owns, applied in version order after the kernel's own.
    var migrations: [Migration] { get }

    /// The services, add-ons and products with default prices; tenants override prices and add their own.
    var catalog: [CatalogItem] { get }
    /// The details a line may carry (plate, vehicle class, colour).
    var lineAttributes: [LineAttribute] { get }
    /// Checks a line and returns it normalised (e.g. a plate written the standard way).
    /// Errors name fields relative to the line: `quantity`, `attributes.plate`.
    func normalize(_ line: LineRequest, item: CatalogItem) throws -> LineRequest
    /// Prices one (normalised) line, VAT included, before the customer's discount.
    func price(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem], settings: SectorSettings) -> LinePrice
    /// Amounts added to the whole order (a minimum charge), given its lines after discounts.
    func adjustments(for lines: [LineTotal], settings: SectorSettings) -> [OrderAdjustment]

    /// Stages, allowed moves, which stages mean ready and delivered, which notify the customer.
    var workflow: Workflow { get }
    var tagFormat: TagFormat { get }
    /// Customer messages per notifying stage.
    var templates: [MessageTemplate] { get }
    /// Figures the sector watches.
    var statistics: [SectorStatistic] { get }
    /// Settings the tenant may adjust.
    var settings: [SettingDefinition] { get }
}

extension SectorModule {
    public var migrations: [Migration] { [] }
    public var lineAttributes: [LineAttribute] { [] }
    public var statistics: [SectorStatistic] { [] }
    public var settings: [SettingDefinition] { [] }

    public func normalize(_ line: LineRequest, item: CatalogItem) throws -> LineRequest {
        try StandardPricing.validate(line, item: item, attributes: lineAttributes)
    }

    public func price(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem], settings: SectorSettings) -> LinePrice {
        StandardPricing.price(line, item: item, addOns: addOns)
    }

    public func adjustments(for lines: [LineTotal], settings: SectorSettings) -> [OrderAdjustment] {
        []
    }
}

/// The identity of a sector module.
public struct SectorIdentity: Sendable, Hashable, Codable {
    /// Stable id, lowercase ASCII letters only (e.g. `drycleaning`); stored on every tenant of the sector.
    public let id: String
    /// Semantic version of the module.
    public let version: String
    /// Display name.
    public let name: LocalizedText
    /// One sentence on what businesses the module serves.
    public let summary: LocalizedText

    public init(id: String, version: String, name: LocalizedText, summary: LocalizedText) {
        self.id = id
        self.version = version
        self.name = name
        self.summary = summary
    }

    /// Whether `id` is a well-formed module id: 2–32 lowercase ASCII letters or digits, starting with a letter.
    public static func isValidID(_ id: String) -> Bool {
        guard (2...32).contains(id.utf8.count), let first = id.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return id.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
