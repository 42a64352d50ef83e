import Contracts
import Kernel

/// The settings the loyalty module declares (owner `loyalty`).
public enum LoyaltySettings {
    public static let owner = "loyalty"

    public static let declaration = SettingsDeclaration(owner: owner, settings: [
        SettingDefinition(key: "loyalty_points_per_lira", name: LocalizedText(tr: "Her 1 TL için puan", en: "Points per lira spent"),
                          kind: .integer, defaultValue: 0, range: 0...1_000),
        SettingDefinition(key: "loyalty_points_expiry_months", name: LocalizedText(tr: "Puanların geçerlilik süresi (ay)", en: "Points last (months)"),
                          kind: .integer, defaultValue: 12, range: 1...120),
        SettingDefinition(key: "loyalty_reminder_days", name: LocalizedText(tr: "Puan bitiş hatırlatması (gün önce; 0: yok)",
                                                                             en: "Points lapse reminder (days before; 0: none)"),
                          kind: .integer, defaultValue: 7, range: 0...60),
        SettingDefinition(key: "loyalty_point_value", name: LocalizedText(tr: "Bir puanın değeri (kuruş; 0: para değil)",
                                                                           en: "What a point is worth (kuruş; 0: not money)"),
                          kind: .integer, defaultValue: 0, range: 0...10_000),
    ])
}
