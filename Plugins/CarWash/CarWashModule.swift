import Contracts

/// Car washing: packages priced by vehicle class, add-ons, each car tracked by its plate.
public struct CarWashModule: SectorModule {
    public init() {}

    public let identity = SectorIdentity(
        id: "carwash",
        version: "1.1.0",
        name: LocalizedText(tr: "Oto Yıkama", en: "Car Wash"),
        summary: LocalizedText(
            tr: "Oto yıkama: araç sınıfı ve paket ile fiyat, plaka ile takip.",
            en: "Car washing: priced by vehicle class and package, tracked by plate."
        )
    )

    public static let vehicleClasses = ["car", "suv", "van", "minibus"]

    static func package(_ code: String, _ tr: String, _ en: String, lira: [Int]) -> CatalogItem {
        let prices = Dictionary(uniqueKeysWithValues: zip(vehicleClasses, lira.map { Money(lira: $0) }))
        return CatalogItem(code: code, name: LocalizedText(tr: tr, en: en), unit: .vehicle, price: prices["car"]!,
                           variantPrices: prices, group: "package")
    }

    static func extra(_ code: String, _ tr: String, _ en: String, lira: Int) -> CatalogItem {
        CatalogItem(code: code, name: LocalizedText(tr: tr, en: en), kind: .addOn, unit: .vehicle, price: Money(lira: lira))
    }

    public let catalog: [CatalogItem] = [
        //                                                                car  suv  van  minibus
        package("exterior", "Dış yıkama", "Exterior wash", lira: [250, 300, 350, 450]),
        package("interior", "İç temizlik", "Interior cleaning", lira: [300, 350, 400, 550]),
        package("full", "İç dış yıkama", "Inside and out", lira: [450, 550, 650, 850]),
        package("full_detail", "Detaylı temizlik", "Full detail", lira: [2500, 3000, 3500, 4500]),
        extra("wax", "Cila", "Wax", lira: 600),
        extra("engine", "Motor yıkama", "Engine wash", lira: 300),
        extra("seat_shampoo", "Koltuk yıkama", "Seat shampoo", lira: 1200),
        extra("headlights", "Far parlatma", "Headlight restoration", lira: 400),
    ]

    public let lineAttributes = [
        LineAttribute(key: "plate", name: LocalizedText(tr: "Plaka", en: "Plate"), required: true),
        LineAttribute(key: "vehicleClass", name: LocalizedText(tr: "Araç sınıfı", en: "Vehicle class"), required: true, choices: vehicleClasses),
    ]

    /// Checks the line and writes the plate the standard way (`34 ABC 123`).
    public func normalize(_ line: LineRequest, item: CatalogItem) throws -> LineRequest {
        var line = try StandardPricing.validate(line, item: item, attributes: lineAttributes)
        if let plate = line.attributes["plate"] {
            do {
                line.attributes["plate"] = try TurkishPlate.normalize(plate)
            } catch let error as DomainError {
                throw DomainError.invalid("attributes.plate", error.code, error.message)
            }
        }
        return line
    }

    /// The package's price for the line's vehicle class.
    public func price(_ line: LineRequest, item: CatalogItem, addOns: [CatalogItem], settings: SectorSettings) -> LinePrice {
        StandardPricing.price(line, item: item, addOns: addOns, variant: line.attributes["vehicleClass"])
    }

    public let workflow = Workflow(
        stages: [
            WorkflowStage(id: "queued", name: LocalizedText(tr: "Sırada", en: "Queued")),
            WorkflowStage(id: "washing", name: LocalizedText(tr: "Yıkamada", en: "Washing")),
            WorkflowStage(id: "finishing", name: LocalizedText(tr: "Kurulama ve son kontrol", en: "Drying and final check")),
            WorkflowStage(id: "ready", name: LocalizedText(tr: "Hazır", en: "Ready")),
            WorkflowStage(id: "delivered", name: LocalizedText(tr: "Teslim edildi", en: "Handed over")),
        ],
        transitions: ["queued": ["washing"], "washing": ["finishing"], "finishing": ["ready", "washing"], "ready": ["delivered"]],
        initialStage: "queued",
        readyStage: "ready",
        deliveredStage: "delivered",
        reworkStage: "washing",
        notifyingStages: ["ready"],
        cancellableStages: ["queued"],
        turnaroundHours: 1
    )

    public let tagFormat = TagFormat(prefix: "OY", labelTitle: LocalizedText(tr: "Oto Yıkama", en: "Car Wash"), printedAttributes: ["plate"])

    public let templates = [
        MessageTemplate(stage: "ready", text: LocalizedText(
            tr: "{{customer}}, aracınız hazır ({{order}}). Tutar: {{amount}}. {{business}}",
            en: "{{customer}}, your car is ready ({{order}}). Amount: {{amount}}. {{business}}"
        )),
        MessageTemplate(message: .appointmentReminder, text: LocalizedText(
            tr: "{{customer}}, {{appointmentAt}} yıkama randevunuzu hatırlatırız. {{branch}} {{branchPhone}}",
            en: "{{customer}}, a reminder of your car wash at {{appointmentAt}}. {{branch}} {{branchPhone}}"
        ), whatsApp: WhatsAppTemplate(name: "carwash_appointment_reminder", parameters: ["customer", "appointmentAt", "branch"])),
    ]

    public let statistics = [
        SectorStatistic(id: "packages", name: LocalizedText(tr: "Paket dağılımı", en: "Package mix"), measure: .itemsByService),
        SectorStatistic(id: "vehicle_classes", name: LocalizedText(tr: "Araç sınıfları", en: "Vehicle classes"), measure: .attributeMix("vehicleClass")),
        SectorStatistic(id: "revenue", name: LocalizedText(tr: "Pakete göre ciro", en: "Revenue by package"), measure: .revenueByService),
    ]
}
