import Contracts

/// A sector no build ships: upholstery cleaning, written here against `Contracts` alone, as an
/// integrator would. The test registers it beside the shipped modules without touching the kernel.
struct UpholsteryModule: SectorModule {
    let identity = SectorIdentity(
        id: "upholstery",
        version: "0.1.0",
        name: LocalizedText(tr: "Koltuk Yıkama", en: "Upholstery Cleaning"),
        summary: LocalizedText(tr: "Koltuk ve yatak yıkama, yerinde.", en: "Sofa and mattress cleaning, on site.")
    )

    /// Its own table, tenant-isolated like the kernel's.
    let migrations = [
        Migration(owner: "upholstery", version: 1, name: "fabric notes", statements: [
            .portable("CREATE TABLE upholstery_fabric_notes (tenant_id {uuid} NOT NULL, tag TEXT NOT NULL, fabric TEXT NOT NULL, PRIMARY KEY (tenant_id, tag))"),
        ] + MigrationStatement.tenantIsolation(table: "upholstery_fabric_notes")),
    ]

    let catalog = [
        CatalogItem(code: "seat", name: LocalizedText(tr: "Koltuk (kişi başı)", en: "Seat"), unit: .piece, price: Money(lira: 250), group: "sofa"),
        CatalogItem(code: "mattress", name: LocalizedText(tr: "Yatak", en: "Mattress"), unit: .piece, price: Money(lira: 600), group: "bed"),
        CatalogItem(code: "stain_guard", name: LocalizedText(tr: "Leke koruma", en: "Stain guard"), kind: .addOn, unit: .piece, price: Money(lira: 80)),
    ]

    let lineAttributes = [LineAttribute(key: "fabric", name: LocalizedText(tr: "Kumaş", en: "Fabric"), required: true, choices: ["cotton", "velvet", "leather"])]

    /// Four seats or more of a sofa: 10 % off those lines.
    func price(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem], settings: SectorSettings) -> LinePrice {
        let standard = StandardPricing.price(line, item: item, addOns: addOns)
        guard item.code == "seat", line.quantity >= 4 else { return standard }
        let base = standard.base - standard.base.percentage(basisPoints: 1000)
        return LinePrice(unitPrice: standard.unitPrice, base: base, addOns: standard.addOns)
    }

    let workflow = Workflow(
        stages: [
            WorkflowStage(id: "booked", name: LocalizedText(tr: "Randevu", en: "Booked")),
            WorkflowStage(id: "cleaning", name: LocalizedText(tr: "Yıkanıyor", en: "Cleaning"), fieldWork: true),
            WorkflowStage(id: "drying", name: LocalizedText(tr: "Kuruyor", en: "Drying")),
            WorkflowStage(id: "done", name: LocalizedText(tr: "Bitti", en: "Done"), fieldWork: true),
        ],
        transitions: ["booked": ["cleaning"], "cleaning": ["drying"], "drying": ["done"]],
        initialStage: "booked",
        readyStage: "drying",
        deliveredStage: "done",
        reworkStage: "cleaning",
        notifyingStages: ["booked", "done"],
        cancellableStages: ["booked"],
        turnaroundHours: 24
    )

    let tagFormat = TagFormat(prefix: "KY", labelTitle: LocalizedText(tr: "Koltuk Yıkama", en: "Upholstery"))
    let templates = [MessageTemplate(stage: "done", text: LocalizedText(tr: "{{customer}}, koltuklarınız temiz.", en: "{{customer}}, your sofa is clean."))]
}
