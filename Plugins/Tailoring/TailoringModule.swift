import Contracts

/// Tailoring and alterations: labour types, measurements and fittings.
public struct TailoringModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "tailoring",
        version: "1.0.0",
        name: LocalizedText(tr: "Terzi", en: "Tailoring"),
        summary: LocalizedText(
            tr: "Terzilik ve tadilat: işçilik türü, ölçü ve prova.",
            en: "Tailoring and alterations: labour types, measurements and fittings."
        )
    )
}
