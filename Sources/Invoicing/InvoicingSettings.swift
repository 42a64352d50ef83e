import Contracts
import Kernel

/// The settings the invoicing module declares (owner `invoicing`): the business's legal details as
/// they stand on its invoices, the series, the e-Fatura scenario for business buyers, and the
/// exemption that zero-rated lines carry.
public enum InvoicingSettings {
    public static let owner = "invoicing"

    static func text(_ key: String, _ tr: String, _ en: String, pattern: String, maximum: Int, default value: String? = nil) -> SettingDefinition {
        SettingDefinition(key: key, name: LocalizedText(tr: tr, en: en), kind: .text, defaultText: value, pattern: pattern, maximumLength: maximum)
    }

    static let freeText = "[^\\u0000-\\u001F]{1,200}"

    public static let declaration = SettingsDeclaration(owner: owner, settings: [
        text("invoice_series", "Fatura serisi", "Invoice series", pattern: "[A-Z0-9]{3}", maximum: 3, default: "FTR"),
        text("invoice_title", "Ticari unvan", "Registered business name", pattern: freeText, maximum: 200),
        text("invoice_tax_number", "Vergi kimlik no (VKN/TCKN)", "Tax number (VKN/TCKN)", pattern: "[0-9]{10,11}", maximum: 11),
        text("invoice_tax_office", "Vergi dairesi", "Tax office", pattern: "[^\\u0000-\\u001F]{1,100}", maximum: 100),
        text("invoice_street", "Adres", "Street address", pattern: freeText, maximum: 200),
        text("invoice_district", "İlçe", "District", pattern: "[^\\u0000-\\u001F]{1,100}", maximum: 100),
        text("invoice_city", "İl", "City", pattern: "[^\\u0000-\\u001F]{1,100}", maximum: 100),
        text("invoice_postal_code", "Posta kodu", "Postal code", pattern: "[0-9]{5}", maximum: 5),
        text("invoice_mersis", "MERSİS no", "MERSİS number", pattern: "[0-9]{16}", maximum: 16),
        text("invoice_business_profile", "Şirketlere fatura senaryosu", "e-Fatura scenario for businesses",
             pattern: "TEMELFATURA|TICARIFATURA", maximum: 12, default: "TEMELFATURA"),
        text("invoice_zero_vat_code", "KDV %0 istisna kodu", "Exemption code of zero-rated lines", pattern: "[0-9]{3}", maximum: 3, default: "351"),
        text("invoice_zero_vat_reason", "KDV %0 istisna açıklaması", "Exemption wording of zero-rated lines", pattern: freeText, maximum: 200,
             default: "KDV İstisna Olmayan Diğer"),
    ])
}
