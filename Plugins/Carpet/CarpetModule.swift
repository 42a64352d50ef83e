import Contracts

/// Carpet washing: priced per square metre, picked up and delivered.
public struct CarpetModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "carpet",
        version: "1.0.0",
        name: LocalizedText(tr: "Halı Yıkama", en: "Carpet Washing"),
        summary: LocalizedText(
            tr: "Halı yıkama: m² ile fiyat, adresten alım ve teslim.",
            en: "Carpet washing: priced per square metre, picked up and delivered."
        )
    )
}
