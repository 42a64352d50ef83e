import Contracts

/// Car washing: priced by vehicle class and package, tracked by plate.
public struct CarWashModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "carwash",
        version: "1.0.0",
        name: LocalizedText(tr: "Oto Yıkama", en: "Car Wash"),
        summary: LocalizedText(
            tr: "Oto yıkama: araç sınıfı ve paket ile fiyat, plaka ile takip.",
            en: "Car washing: priced by vehicle class and package, tracked by plate."
        )
    )
}
