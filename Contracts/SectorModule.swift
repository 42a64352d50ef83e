/// What a sector module (dry cleaning, carpet, …) is, as the kernel sees it.
///
/// A module is a plain value: the kernel reads its declarations and never names a sector itself.
/// Adding a sector means a new folder in `Plugins/` whose module conforms to this protocol, and one
/// line in the executable's module list.
public protocol SectorModule: Sendable {
    /// Who the module is: a stable id tenants are created with, a version and display names.
    var identity: SectorIdentity { get }
    /// Schema changes the module owns, applied in version order after the kernel's own.
    var migrations: [Migration] { get }
}

extension SectorModule {
    public var migrations: [Migration] { [] }
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
