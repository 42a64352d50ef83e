import Contracts

/// A shop counter with a loyalty programme (earning rules come with the loyalty issue): products
/// sold by the item and handed over at once.
public struct RetailLoyaltyModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "retail",
        version: "1.1.0",
        name: LocalizedText(tr: "Perakende ve Sadakat", en: "Retail and Loyalty"),
        summary: LocalizedText(
            tr: "Mağaza satışı ve sadakat programı: puan, damga, kupon.",
            en: "Shop counter sales with a loyalty programme: points, stamps, coupons."
        )
    )

    static func product(_ sku: String, _ tr: String, _ en: String, minorUnits: Int, vat: VATRate, group: String) -> CatalogItem {
        CatalogItem(code: sku, name: LocalizedText(tr: tr, en: en), kind: .product, unit: .item, price: Money(minorUnits: minorUnits),
                    vatRate: vat, group: group)
    }

    /// A bakery-café counter by default; products carry their own VAT rates (1 % bread, 10 % served food and drink).
    public let catalog: [CatalogItem] = [
        product("simit", "Simit", "Simit (sesame bagel)", minorUnits: 2_000, vat: 100, group: "bakery"),
        product("pogaca", "Poğaça", "Poğaça (savoury bun)", minorUnits: 3_500, vat: 100, group: "bakery"),
        product("bread", "Ekmek (250 g)", "Bread (250 g)", minorUnits: 1_500, vat: 100, group: "bakery"),
        product("cookies_250", "Kurabiye (250 g)", "Cookies (250 g)", minorUnits: 18_000, vat: 100, group: "bakery"),
        product("tea", "Çay", "Tea", minorUnits: 2_500, vat: .reduced, group: "drinks"),
        product("turkish_coffee", "Türk kahvesi", "Turkish coffee", minorUnits: 9_000, vat: .reduced, group: "drinks"),
        product("filter_coffee", "Filtre kahve", "Filter coffee", minorUnits: 11_000, vat: .reduced, group: "drinks"),
        product("mug", "Logolu kupa", "Branded mug", minorUnits: 35_000, vat: .standard, group: "merchandise"),
    ]

    /// A sale is handed over at the counter: the order is delivered the moment it is taken.
    public let workflow = Workflow(
        stages: [WorkflowStage(id: "sold", name: LocalizedText(tr: "Satıldı", en: "Sold"))],
        transitions: [:],
        initialStage: "sold",
        readyStage: "sold",
        deliveredStage: "sold",
        reworkStage: "sold",
        notifyingStages: [],
        cancellableStages: [],
        turnaroundHours: 0
    )

    public let tagFormat = TagFormat(prefix: "PS", labelTitle: LocalizedText(tr: "Satış", en: "Sale"))

    public let templates: [MessageTemplate] = []

    public let statistics = [
        SectorStatistic(id: "products", name: LocalizedText(tr: "Ürünler", en: "Products sold"), measure: .itemsByService),
        SectorStatistic(id: "revenue", name: LocalizedText(tr: "Ürüne göre ciro", en: "Revenue by product"), measure: .revenueByService),
    ]
}
