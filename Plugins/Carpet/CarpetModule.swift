import Contracts

/// Carpet washing: priced per m² of the measured carpet, by carpet type; picked up from and
/// delivered to the customer's address; a minimum charge per order.
public struct CarpetModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "carpet",
        version: "1.1.0",
        name: LocalizedText(tr: "Halı Yıkama", en: "Carpet Washing"),
        summary: LocalizedText(
            tr: "Halı yıkama: m² ile fiyat, adresten alım ve teslim.",
            en: "Carpet washing: priced per square metre, picked up and delivered."
        )
    )

    static let m2 = PricingUnit.squareMetre

    public let catalog: [CatalogItem] = [
        CatalogItem(code: "machine_woven", name: LocalizedText(tr: "Makine halısı", en: "Machine-woven carpet"), unit: m2, price: Money(lira: 120), group: "carpet"),
        CatalogItem(code: "hand_woven", name: LocalizedText(tr: "El dokuma halı", en: "Hand-woven carpet"), unit: m2, price: Money(lira: 250), group: "carpet"),
        CatalogItem(code: "silk", name: LocalizedText(tr: "İpek halı", en: "Silk carpet"), unit: m2, price: Money(lira: 450), group: "carpet"),
        CatalogItem(code: "shaggy", name: LocalizedText(tr: "Shaggy halı", en: "Shaggy carpet"), unit: m2, price: Money(lira: 160), group: "carpet"),
        CatalogItem(code: "kilim", name: LocalizedText(tr: "Kilim", en: "Kilim"), unit: m2, price: Money(lira: 140), group: "carpet"),
        CatalogItem(code: "bath_mat", name: LocalizedText(tr: "Banyo paspası", en: "Bath mat"), unit: .piece, price: Money(lira: 150), group: "mat"),
        CatalogItem(code: "sheepskin", name: LocalizedText(tr: "Post", en: "Sheepskin rug"), unit: .piece, price: Money(lira: 400), group: "mat"),
        CatalogItem(code: "stain_odour", name: LocalizedText(tr: "Leke ve koku giderme", en: "Stain and odour removal"), kind: .addOn, unit: m2, price: Money(lira: 30)),
        CatalogItem(code: "fringe_repair", name: LocalizedText(tr: "Saçak tamiri", en: "Fringe repair"), kind: .addOn, unit: .piece, price: Money(lira: 250)),
        CatalogItem(code: "anti_moth", name: LocalizedText(tr: "Güve önleyici", en: "Moth protection"), kind: .addOn, unit: m2, price: Money(lira: 20)),
    ]

    public let lineAttributes = [
        LineAttribute(key: "colour", name: LocalizedText(tr: "Renk", en: "Colour")),
        LineAttribute(key: "condition", name: LocalizedText(tr: "Durum notu", en: "Condition note")),
    ]

    public let settings = [
        SettingDefinition(key: "minimum_order", name: LocalizedText(tr: "Minimum sipariş tutarı", en: "Minimum order amount"),
                          kind: .money, defaultValue: 50_000),
    ]

    /// Raises an order that comes to less than the minimum up to it, with a line of its own.
    public func adjustments(for lines: [LineTotal], settings: SectorSettings) -> [OrderAdjustment] {
        let minimum = settings.money("minimum_order")
        let total = lines.reduce(Money.zero) { $0 + $1.total }
        guard !lines.isEmpty, total < minimum else { return [] }
        return [OrderAdjustment(
            code: "minimum_order",
            name: LocalizedText(tr: "Minimum sipariş tamamlama", en: "Minimum order top-up"),
            amount: minimum - total,
            vatRate: .standard
        )]
    }

    public let workflow = Workflow(
        stages: [
            WorkflowStage(id: "picked_up", name: LocalizedText(tr: "Adresten alındı", en: "Picked up"), fieldWork: true),
            WorkflowStage(id: "washing", name: LocalizedText(tr: "Yıkamada", en: "Washing")),
            WorkflowStage(id: "drying", name: LocalizedText(tr: "Kurumada", en: "Drying")),
            WorkflowStage(id: "ready", name: LocalizedText(tr: "Hazır", en: "Ready")),
            WorkflowStage(id: "out_for_delivery", name: LocalizedText(tr: "Dağıtımda", en: "Out for delivery"), fieldWork: true),
            WorkflowStage(id: "delivered", name: LocalizedText(tr: "Teslim edildi", en: "Delivered"), fieldWork: true),
        ],
        transitions: [
            "picked_up": ["washing"],
            "washing": ["drying"],
            "drying": ["ready", "washing"],
            "ready": ["out_for_delivery", "delivered"],
            "out_for_delivery": ["delivered", "ready"],
        ],
        initialStage: "picked_up",
        readyStage: "ready",
        deliveredStage: "delivered",
        reworkStage: "washing",
        notifyingStages: ["picked_up", "ready", "out_for_delivery", "delivered"],
        cancellableStages: ["picked_up"],
        turnaroundHours: 120
    )

    public let tagFormat = TagFormat(prefix: "HY", labelTitle: LocalizedText(tr: "Halı Yıkama", en: "Carpet Washing"))

    public let templates = [
        MessageTemplate(stage: "picked_up", text: LocalizedText(
            tr: "{{customer}}, halılarınız teslim alındı ({{order}}). Ölçüm sonrası tutar: {{amount}}. Tahmini teslim: {{readyAt}}. {{business}}",
            en: "{{customer}}, we have picked up your carpets ({{order}}). Amount after measuring: {{amount}}. Expected back: {{readyAt}}. {{business}}"
        )),
        MessageTemplate(stage: "ready", text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı siparişinizdeki halılar yıkandı ve teslimata hazır. {{business}} {{branchPhone}}",
            en: "{{customer}}, the carpets of order {{order}} are clean and ready for delivery. {{business}} {{branchPhone}}"
        ), whatsApp: WhatsAppTemplate(name: "carpet_ready", parameters: ["customer", "order", "business"])),
        MessageTemplate(stage: "out_for_delivery", text: LocalizedText(
            tr: "{{customer}}, halılarınız yola çıktı; bugün teslim edilecek. Tutar: {{amount}}. {{business}}",
            en: "{{customer}}, your carpets are on their way and arrive today. Amount: {{amount}}. {{business}}"
        )),
        MessageTemplate(stage: "delivered", text: LocalizedText(
            tr: "{{customer}}, halılarınız teslim edildi. Teşekkür ederiz. {{business}}",
            en: "{{customer}}, your carpets have been delivered. Thank you. {{business}}"
        )),
    ]

    public let statistics = [
        SectorStatistic(id: "area", name: LocalizedText(tr: "Yıkanan m²", en: "Square metres washed"), measure: .areaTotal),
        SectorStatistic(id: "carpet_types", name: LocalizedText(tr: "Halı türleri", en: "Carpets by type"), measure: .itemsByService),
        SectorStatistic(id: "revenue", name: LocalizedText(tr: "Türe göre ciro", en: "Revenue by type"), measure: .revenueByService),
    ]
}
