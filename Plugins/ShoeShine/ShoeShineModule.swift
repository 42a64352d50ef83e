import Contracts

/// Shoe shining, repair and care: priced per pair and service.
public struct ShoeShineModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "shoeshine",
        version: "1.0.0",
        name: LocalizedText(tr: "Ayakkabı Boyama ve Tamiri", en: "Shoe Shine and Repair"),
        summary: LocalizedText(
            tr: "Ayakkabı boyama, tamir ve bakım: çift ve hizmet başı fiyat.",
            en: "Shoe shining, repair and care: priced per pair and service."
        )
    )
}
