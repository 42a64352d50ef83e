import Contracts

/// Dry cleaning and pressing: priced per piece, every garment tagged and tracked.
public struct DryCleaningModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "drycleaning",
        version: "1.0.0",
        name: LocalizedText(tr: "Kuru Temizleme", en: "Dry Cleaning"),
        summary: LocalizedText(
            tr: "Kuru temizleme ve ütü: parça başı fiyat, etiketli takip.",
            en: "Dry cleaning and pressing: priced per piece, every garment tagged and tracked."
        )
    )
}
