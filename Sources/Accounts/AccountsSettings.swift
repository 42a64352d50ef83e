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
                          kind: .text, defaultText: "off", pattern: "on|off", maximumLength: 3),
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
