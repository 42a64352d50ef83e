import Contracts

/// Dry cleaning and pressing: priced per piece by garment type (curtains per m²), with stain
/// treatment and same-day express as add-ons.
public struct DryCleaningModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "drycleaning",
        version: "1.1.0",
        name: LocalizedText(tr: "Kuru Temizleme", en: "Dry Cleaning"),
        summary: LocalizedText(
            tr: "Kuru temizleme ve ütü: parça başı fiyat, etiketli takip.",
            en: "Dry cleaning and pressing: priced per piece, every garment tagged and tracked."
        )
    )

    public var catalog: [CatalogItem] { DryCleaningCatalog.items }

    public let lineAttributes = [
        LineAttribute(key: "colour", name: LocalizedText(tr: "Renk", en: "Colour")),
        LineAttribute(key: "brand", name: LocalizedText(tr: "Marka", en: "Brand")),
    ]

    public let workflow = Workflow(
        stages: [
            WorkflowStage(id: "accepted", name: LocalizedText(tr: "Teslim alındı", en: "Accepted")),
            WorkflowStage(id: "cleaning", name: LocalizedText(tr: "Temizlikte", en: "Cleaning")),
            WorkflowStage(id: "pressing", name: LocalizedText(tr: "Ütüde", en: "Pressing")),
            WorkflowStage(id: "ready", name: LocalizedText(tr: "Hazır", en: "Ready")),
            WorkflowStage(id: "out_for_delivery", name: LocalizedText(tr: "Dağıtımda", en: "Out for delivery"), fieldWork: true),
            WorkflowStage(id: "delivered", name: LocalizedText(tr: "Teslim edildi", en: "Delivered")),
        ],
        transitions: [
            "accepted": ["cleaning", "pressing"],
            "cleaning": ["pressing", "ready"],
            "pressing": ["ready"],
            "ready": ["delivered", "out_for_delivery"],
            "out_for_delivery": ["delivered", "ready"],
        ],
        initialStage: "accepted",
        readyStage: "ready",
        deliveredStage: "delivered",
        reworkStage: "cleaning",
        notifyingStages: ["accepted", "ready", "delivered"],
        cancellableStages: ["accepted", "cleaning"],
        turnaroundHours: 48
    )

    public let tagFormat = TagFormat(prefix: "KT", labelTitle: LocalizedText(tr: "Kuru Temizleme", en: "Dry Cleaning"))

    public let templates = [
        MessageTemplate(stage: "accepted", text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı siparişiniz teslim alındı. Tahmini hazır olma: {{readyAt}}. {{business}}",
            en: "{{customer}}, we have received order {{order}}. Expected ready: {{readyAt}}. {{business}}"
        )),
        MessageTemplate(stage: "ready", text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı siparişiniz hazır. Tutar: {{amount}}. {{business}} {{branchPhone}}",
            en: "{{customer}}, your order {{order}} is ready for collection. Amount: {{amount}}. {{business}} {{branchPhone}}"
        )),
        MessageTemplate(stage: "delivered", text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı siparişiniz teslim edildi. Bizi tercih ettiğiniz için teşekkürler. {{business}}",
            en: "{{customer}}, order {{order}} has been delivered. Thank you for choosing us. {{business}}"
        )),
    ]

    public let statistics = [
        SectorStatistic(id: "garments", name: LocalizedText(tr: "Parça türleri", en: "Garments by type"), measure: .itemsByService),
        SectorStatistic(id: "shirt_suit_ratio", name: LocalizedText(tr: "Gömlek / takım oranı", en: "Shirts per suit"),
                        measure: .ratio(numerator: ["shirt"], denominator: ["suit_2", "suit_3"])),
        SectorStatistic(id: "revenue", name: LocalizedText(tr: "Hizmete göre ciro", en: "Revenue by service"), measure: .revenueByService),
    ]
}
