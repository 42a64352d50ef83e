import Contracts

/// Shoe shine and repair: priced per pair and service, with care packages.
public struct ShoeShineModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "shoeshine",
        version: "1.1.0",
        name: LocalizedText(tr: "Ayakkabı Boyama ve Tamiri", en: "Shoe Shine and Repair"),
        summary: LocalizedText(
            tr: "Ayakkabı boyama, tamir ve bakım: çift ve hizmet başı fiyat.",
            en: "Shoe shining, repair and care: priced per pair and service."
        )
    )

    static func pair(_ code: String, _ tr: String, _ en: String, lira: Int, group: String = "service") -> CatalogItem {
        CatalogItem(code: code, name: LocalizedText(tr: tr, en: en), unit: .pair, price: Money(lira: lira), group: group)
    }

    public let catalog: [CatalogItem] = [
        pair("shine", "Boya ve cila", "Shine", lira: 150),
        pair("deep_clean", "Detaylı temizlik", "Deep clean", lira: 300),
        pair("suede_care", "Süet bakımı", "Suede care", lira: 350),
        pair("heel", "Ökçe değişimi", "Heel replacement", lira: 350, group: "repair"),
        pair("sole", "Pençe (taban) değişimi", "Resoling", lira: 700, group: "repair"),
        pair("stitching", "Dikiş tamiri", "Stitching repair", lira: 250, group: "repair"),
        pair("boot_zip", "Bot fermuarı değişimi", "Boot zip replacement", lira: 400, group: "repair"),
        pair("dye", "Renk değiştirme (boya)", "Colour change (dye)", lira: 600, group: "repair"),
        CatalogItem(code: "full_care", name: LocalizedText(tr: "Tam bakım paketi (temizlik, boya, bağcık)", en: "Full care package (clean, shine, laces)"),
                    unit: .package, price: Money(lira: 450), group: "package"),
        CatalogItem(code: "repair_care", name: LocalizedText(tr: "Tamir ve bakım paketi (ökçe, boya)", en: "Repair and care package (heels, shine)"),
                    unit: .package, price: Money(lira: 450), group: "package"),
        CatalogItem(code: "laces", name: LocalizedText(tr: "Bağcık", en: "Laces"), kind: .addOn, unit: .pair, price: Money(lira: 50)),
        CatalogItem(code: "waterproofing", name: LocalizedText(tr: "Su geçirmezlik spreyi", en: "Waterproofing"), kind: .addOn, unit: .pair, price: Money(lira: 120)),
        CatalogItem(code: "express", name: LocalizedText(tr: "Ekspres", en: "Express"), kind: .addOn, unit: .pair, price: .zero, surchargeBasisPoints: 5000),
    ]

    public let lineAttributes = [
        LineAttribute(key: "colour", name: LocalizedText(tr: "Renk", en: "Colour")),
        LineAttribute(key: "brand", name: LocalizedText(tr: "Marka", en: "Brand")),
        LineAttribute(key: "size", name: LocalizedText(tr: "Numara", en: "Size")),
    ]

    public let workflow = Workflow(
        stages: [
            WorkflowStage(id: "received", name: LocalizedText(tr: "Teslim alındı", en: "Received")),
            WorkflowStage(id: "in_repair", name: LocalizedText(tr: "İşlemde", en: "In the workshop")),
            WorkflowStage(id: "ready", name: LocalizedText(tr: "Hazır", en: "Ready")),
            WorkflowStage(id: "delivered", name: LocalizedText(tr: "Teslim edildi", en: "Delivered")),
        ],
        transitions: ["received": ["in_repair", "ready"], "in_repair": ["ready"], "ready": ["delivered"]],
        initialStage: "received",
        readyStage: "ready",
        deliveredStage: "delivered",
        reworkStage: "in_repair",
        notifyingStages: ["ready"],
        cancellableStages: ["received"],
        turnaroundHours: 72
    )

    public let tagFormat = TagFormat(prefix: "AB", labelTitle: LocalizedText(tr: "Ayakkabı", en: "Shoes"))

    public let templates = [
        MessageTemplate(stage: "ready", text: LocalizedText(
            tr: "{{customer}}, ayakkabılarınız hazır ({{order}}). Tutar: {{amount}}. {{business}} {{branchPhone}}",
            en: "{{customer}}, your shoes are ready ({{order}}). Amount: {{amount}}. {{business}} {{branchPhone}}"
        )),
    ]

    public let statistics = [
        SectorStatistic(id: "services", name: LocalizedText(tr: "Hizmetler", en: "Services"), measure: .itemsByService),
        SectorStatistic(id: "revenue", name: LocalizedText(tr: "Hizmete göre ciro", en: "Revenue by service"), measure: .revenueByService),
    ]
}
