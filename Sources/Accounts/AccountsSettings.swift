import Contracts
import Kernel

/// The settings the account module declares (owner `accounts`).
public enum AccountsSettings {
    public static let owner = "accounts"

    public static let declaration = SettingsDeclaration(owner: owner, settings: [
        SettingDefinition(key: "accounts_charge_on", name: LocalizedText(tr: "Borç kaydı", en: "Charge the account on"), kind: .text,
                          defaultText: "acceptance", pattern: "acceptance|delivery", maximumLength: 10),
        SettingDefinition(key: "accounts_credit_policy", name: LocalizedText(tr: "Kredi limiti aşımında", en: "When a credit limit is passed"),
                          kind: .text, defaultText: "warn", pattern: "warn|refuse", maximumLength: 6),
        SettingDefinition(key: "accounts_pay_before_delivery", name: LocalizedText(tr: "Peşin müşteri teslimden önce öder", en: "Cash customers pay before delivery"),
                          kind: .text, defaultText: "on", pattern: "on|off", maximumLength: 3),
        SettingDefinition(key: "accounts_reminder_days", name: LocalizedText(tr: "Hatırlatma planı (vadeden sonra gün)", en: "Reminder plan (days after due)"),
                          kind: .text, defaultText: "3,10,30", pattern: "[0-9]{1,3}(,[0-9]{1,3}){0,9}", maximumLength: 40),
        SettingDefinition(key: "storage_free_days", name: LocalizedText(tr: "Ücretsiz bekletme (gün)", en: "Free storage (days)"),
                          kind: .integer, defaultValue: 30, range: 0...365),
        SettingDefinition(key: "storage_fee", name: LocalizedText(tr: "Bekletme ücreti (kuruş, dönem başına)", en: "Storage fee (kuruş per period)"),
                          kind: .integer, defaultValue: 0, range: 0...100_000_000),
        SettingDefinition(key: "storage_fee_period", name: LocalizedText(tr: "Bekletme ücreti dönemi", en: "Storage fee period"), kind: .text,
                          defaultText: "month", pattern: "day|month", maximumLength: 5),
        SettingDefinition(key: "storage_reminder_days", name: LocalizedText(tr: "Teslim alınmayan hatırlatmaları (hazır olduktan sonra gün)",
                                                                             en: "Uncollected reminders (days after ready)"),
                          kind: .text, defaultText: "3,10,25", pattern: "[0-9]{1,3}(,[0-9]{1,3}){0,9}", maximumLength: 40),
        SettingDefinition(key: "storage_risk_days", name: LocalizedText(tr: "Risk uyarısı (gün)", en: "At risk after (days)"),
                          kind: .integer, defaultValue: 90, range: 1...3650),
    ])

    /// The three policies of one tenant.
    struct Policy: Sendable {
        var chargeOnDelivery: Bool
        var refuseOverLimit: Bool
        var payBeforeDelivery: Bool

        init(_ values: SectorSettings) {
            chargeOnDelivery = values.text("accounts_charge_on") == "delivery"
            refuseOverLimit = values.text("accounts_credit_policy") == "refuse"
            payBeforeDelivery = values.text("accounts_pay_before_delivery") == "on"
        }
    }
}
