import Contracts

/// Tailoring and alterations: priced by labour type, with measurements on the line and a fitting step.
public struct TailoringModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "tailoring",
        version: "1.1.0",
        name: LocalizedText(tr: "Terzi", en: "Tailoring"),
        summary: LocalizedText(
            tr: "Terzilik ve tadilat: işçilik türü, ölçü ve prova.",
            en: "Tailoring and alterations: labour types, measurements and fittings."
        )
    )

    static func labour(_ code: String, _ tr: String, _ en: String, lira: Int, unit: PricingUnit = .piece) -> CatalogItem {
        CatalogItem(code: code, name: LocalizedText(tr: tr, en: en), unit: unit, price: Money(lira: lira), group: "labour")
    }

    public let catalog: [CatalogItem] = [
        labour("hem", "Paça kısaltma", "Hem", lira: 250),
        labour("hem_jeans", "Kot paça (orijinal dikiş)", "Jeans hem (original stitch)", lira: 300),
        labour("zip", "Fermuar değişimi", "Zip replacement", lira: 300),
        labour("take_in", "Daraltma", "Take in", lira: 350),
        labour("let_out", "Bollaştırma", "Let out", lira: 400),
        labour("sleeve", "Kol kısaltma", "Sleeve shortening", lira: 350),
        labour("waist", "Bel alma", "Waist adjustment", lira: 300),
        labour("lining", "Astar değişimi", "Relining", lira: 800),
        labour("buttons", "Düğme dikimi", "Buttons sewn on", lira: 40, unit: .item),
        CatalogItem(code: "suit_alteration", name: LocalizedText(tr: "Takım tadilat paketi (paça, kol, bel)", en: "Suit alteration package (hem, sleeves, waist)"),
                    unit: .package, price: Money(lira: 850), group: "package"),
        CatalogItem(code: "express", name: LocalizedText(tr: "Ekspres", en: "Express"), kind: .addOn, unit: .piece, price: .zero, surchargeBasisPoints: 5000),
    ]

    public let lineAttributes = [
        LineAttribute(key: "garment", name: LocalizedText(tr: "Giysi", en: "Garment")),
        LineAttribute(key: "measurements", name: LocalizedText(tr: "Ölçüler", en: "Measurements")),
    ]

    public let workflow = Workflow(
        stages: [
            WorkflowStage(id: "received", name: LocalizedText(tr: "Teslim alındı", en: "Received")),
            WorkflowStage(id: "fitting", name: LocalizedText(tr: "Prova", en: "Fitting")),
            WorkflowStage(id: "in_work", name: LocalizedText(tr: "Dikimde", en: "In work")),
            WorkflowStage(id: "ready", name: LocalizedText(tr: "Hazır", en: "Ready")),
            WorkflowStage(id: "delivered", name: LocalizedText(tr: "Teslim edildi", en: "Delivered")),
        ],
        transitions: [
            "received": ["in_work", "fitting"],
            "fitting": ["in_work"],
            "in_work": ["fitting", "ready"],
            "ready": ["delivered", "fitting"],
        ],
        initialStage: "received",
        readyStage: "ready",
        deliveredStage: "delivered",
        reworkStage: "in_work",
        notifyingStages: ["fitting", "ready"],
        cancellableStages: ["received", "fitting"],
        turnaroundHours: 96
    )

    public let tagFormat = TagFormat(prefix: "TR", labelTitle: LocalizedText(tr: "Terzi", en: "Tailor"))

    public let templates = [
        MessageTemplate(stage: "fitting", text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı siparişiniz provaya hazır; uygun olduğunuzda bekleriz. {{business}} {{branchPhone}}",
            en: "{{customer}}, order {{order}} is ready for a fitting; drop by when it suits you. {{business}} {{branchPhone}}"
        )),
        MessageTemplate(stage: "ready", text: LocalizedText(
            tr: "{{customer}}, {{order}} numaralı tadilatınız hazır. Tutar: {{amount}}. {{business}}",
            en: "{{customer}}, your alterations ({{order}}) are ready. Amount: {{amount}}. {{business}}"
        )),
        MessageTemplate(message: .appointmentReminder, text: LocalizedText(
            tr: "{{customer}}, {{appointmentAt}} prova randevunuzu hatırlatırız. {{business}} {{branchPhone}}",
            en: "{{customer}}, a reminder of your fitting at {{appointmentAt}}. {{business}} {{branchPhone}}"
        )),
    ]

    public let statistics = [
        SectorStatistic(id: "labour", name: LocalizedText(tr: "İşçilik türleri", en: "Labour types"), measure: .itemsByService),
        SectorStatistic(id: "revenue", name: LocalizedText(tr: "İşçiliğe göre ciro", en: "Revenue by labour type"), measure: .revenueByService),
    ]
}
