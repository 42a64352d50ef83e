import Contracts

/// A small test sector whose "collected" message is commercial (a thank-you with an offer for the
/// next wash): the shape of a marketing message, with the consent and quiet-hour rules it carries.
struct PromoWashModule: SectorModule {
    let identity = SectorIdentity(id: "promowash", version: "0.1.0", name: LocalizedText(tr: "Promosyonlu Yıkama", en: "Promo Wash"),
                                  summary: LocalizedText(tr: "Test sektörü.", en: "A test sector."))
    let catalog = [CatalogItem(code: "wash", name: LocalizedText(tr: "Yıkama", en: "Wash"), unit: .piece, price: Money(lira: 100))]
    let workflow = Workflow(
        stages: [
            WorkflowStage(id: "received", name: LocalizedText(tr: "Alındı", en: "Received")),
            WorkflowStage(id: "washed", name: LocalizedText(tr: "Yıkandı", en: "Washed")),
            WorkflowStage(id: "collected", name: LocalizedText(tr: "Teslim alındı", en: "Collected")),
        ],
        transitions: ["received": ["washed"], "washed": ["collected"]],
        initialStage: "received", readyStage: "washed", deliveredStage: "collected", reworkStage: "received",
        notifyingStages: ["washed", "collected"], cancellableStages: ["received"], turnaroundHours: 24
    )
    let tagFormat = TagFormat(prefix: "PW", labelTitle: LocalizedText(tr: "Yıkama", en: "Wash"))
    let templates = [
        MessageTemplate(stage: "washed", text: LocalizedText(tr: "{{customer}}, {{order}} hazır.", en: "{{customer}}, {{order}} is ready.")),
        MessageTemplate(message: .stage("collected"), purpose: .commercial, text: LocalizedText(
            tr: "{{customer}}, teşekkürler! Bir sonraki yıkamada %10 indirim. {{business}}",
            en: "{{customer}}, thank you! 10% off your next wash. {{business}}"
        )),
    ]
}
