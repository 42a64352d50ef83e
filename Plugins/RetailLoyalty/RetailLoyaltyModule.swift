import Contracts

/// Shop counter sales with a loyalty programme: points, stamps, coupons.
public struct RetailLoyaltyModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "retail",
        version: "1.0.0",
        name: LocalizedText(tr: "Perakende ve Sadakat", en: "Retail and Loyalty"),
        summary: LocalizedText(
            tr: "Mağaza satışı ve sadakat programı: puan, damga, kupon.",
            en: "Shop counter sales with a loyalty programme: points, stamps, coupons."
        )
    )
}
