import Contracts

/// Default prices of an Istanbul dry cleaner (2026, VAT included); tenants set their own.
enum DryCleaningCatalog {
    static func piece(_ code: String, _ tr: String, _ en: String, lira: Int, group: String = "garment") -> CatalogItem {
        CatalogItem(code: code, name: LocalizedText(tr: tr, en: en), unit: .piece, price: Money(lira: lira), group: group)
    }

    static let items: [CatalogItem] = [
        piece("shirt", "Gömlek", "Shirt", lira: 120),
        piece("blouse", "Bluz", "Blouse", lira: 130),
        piece("trousers", "Pantolon", "Trousers", lira: 160),
        piece("skirt", "Etek", "Skirt", lira: 150),
        piece("jacket", "Ceket", "Jacket", lira: 220),
        piece("suit_2", "Takım elbise (2 parça)", "Suit (2 pieces)", lira: 380),
        piece("suit_3", "Takım elbise (3 parça)", "Suit (3 pieces)", lira: 480),
        piece("dress", "Elbise", "Dress", lira: 300),
        piece("evening_dress", "Abiye", "Evening dress", lira: 650),
        piece("wedding_dress", "Gelinlik", "Wedding dress", lira: 2500),
        piece("sweater", "Kazak", "Sweater", lira: 150),
        piece("coat", "Palto / kaban", "Coat", lira: 400),
        piece("trench_coat", "Trençkot", "Trench coat", lira: 380),
        piece("down_jacket", "Mont", "Down jacket", lira: 450),
        piece("tie", "Kravat", "Tie", lira: 90),
        piece("duvet", "Yorgan (çift kişilik)", "Duvet (double)", lira: 700, group: "household"),
        piece("blanket", "Battaniye", "Blanket", lira: 450, group: "household"),
        CatalogItem(code: "curtain", name: LocalizedText(tr: "Perde", en: "Curtain"), unit: .squareMetre, price: Money(lira: 90), group: "household"),
        piece("press_shirt", "Gömlek ütü", "Shirt, pressing only", lira: 60, group: "pressing"),
        CatalogItem(code: "stain_treatment", name: LocalizedText(tr: "Leke çıkarma", en: "Stain treatment"), kind: .addOn, unit: .piece, price: Money(lira: 75)),
        CatalogItem(code: "express", name: LocalizedText(tr: "Ekspres (aynı gün)", en: "Express (same day)"), kind: .addOn, unit: .piece,
                    price: .zero, surchargeBasisPoints: 5000),
    ]
}
