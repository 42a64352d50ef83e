import Contracts
import Kernel

/// The settings the notification module declares (owner `notify`): each channel's account (its
/// secrets encrypted at rest, never answered), the order channels are tried in, quiet hours.
public enum NotifySettings {
    public static let owner = "notify"

    public static let declaration = SettingsDeclaration(owner: owner, settings: [
        SettingDefinition(key: "notify_channel_order", name: LocalizedText(tr: "Kanal sırası", en: "Channel order"), kind: .text,
                          defaultText: "sms,whatsapp,email", pattern: "(sms|whatsapp|email)(,(sms|whatsapp|email)){0,2}", maximumLength: 40),
        SettingDefinition(key: "notify_quiet_start", name: LocalizedText(tr: "Sessiz saat başlangıcı", en: "Quiet hours start"),
                          kind: .integer, defaultValue: 21, range: 0...23),
        SettingDefinition(key: "notify_quiet_end", name: LocalizedText(tr: "Sessiz saat bitişi", en: "Quiet hours end"),
                          kind: .integer, defaultValue: 9, range: 0...23),
        SettingDefinition(key: "appointment_minutes", name: LocalizedText(tr: "Randevu süresi (dakika)", en: "Appointment length (minutes)"),
                          kind: .integer, defaultValue: 30, range: 5...480),
        SettingDefinition(key: "appointment_capacity", name: LocalizedText(tr: "Şube başına eş zamanlı randevu", en: "Appointments at once per branch"),
                          kind: .integer, defaultValue: 1, range: 1...100),
        SettingDefinition(key: "netgsm_usercode", name: LocalizedText(tr: "Netgsm kullanıcı kodu", en: "Netgsm user code"), kind: .text,
                          pattern: "[0-9A-Za-z]{3,32}", maximumLength: 32),
        SettingDefinition(key: "netgsm_password", name: LocalizedText(tr: "Netgsm API şifresi", en: "Netgsm API password"), kind: .secret,
                          maximumLength: 128),
        SettingDefinition(key: "netgsm_header", name: LocalizedText(tr: "SMS başlığı", en: "SMS sender name"), kind: .text,
                          pattern: "[0-9A-Za-z .-]{2,11}", maximumLength: 11),
        SettingDefinition(key: "whatsapp_phone_number_id", name: LocalizedText(tr: "WhatsApp telefon numarası kimliği", en: "WhatsApp phone number id"),
                          kind: .text, pattern: "[0-9]{5,20}", maximumLength: 20),
        SettingDefinition(key: "whatsapp_token", name: LocalizedText(tr: "WhatsApp erişim anahtarı", en: "WhatsApp access token"), kind: .secret,
                          maximumLength: 1000),
        SettingDefinition(key: "whatsapp_app_secret", name: LocalizedText(tr: "WhatsApp uygulama gizli anahtarı", en: "WhatsApp app secret"),
                          kind: .secret, maximumLength: 200),
        SettingDefinition(key: "whatsapp_verify_token", name: LocalizedText(tr: "WhatsApp webhook doğrulama anahtarı", en: "WhatsApp webhook verify token"),
                          kind: .secret, maximumLength: 200),
        SettingDefinition(key: "smtp_host", name: LocalizedText(tr: "SMTP sunucusu", en: "SMTP server"), kind: .text,
                          pattern: "[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", maximumLength: 253),
        SettingDefinition(key: "smtp_port", name: LocalizedText(tr: "SMTP portu", en: "SMTP port"), kind: .integer, defaultValue: 587, range: 1...65535),
        SettingDefinition(key: "smtp_security", name: LocalizedText(tr: "SMTP güvenliği", en: "SMTP security"), kind: .text,
                          defaultText: "starttls", pattern: "starttls|implicit", maximumLength: 8),
        SettingDefinition(key: "smtp_username", name: LocalizedText(tr: "SMTP kullanıcı adı", en: "SMTP user name"), kind: .text,
                          pattern: "[^\\s]{1,200}", maximumLength: 200),
        SettingDefinition(key: "smtp_password", name: LocalizedText(tr: "SMTP şifresi", en: "SMTP password"), kind: .secret, maximumLength: 200),
        SettingDefinition(key: "smtp_from", name: LocalizedText(tr: "Gönderen e-posta", en: "Sender e-mail"), kind: .text,
                          pattern: "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}", maximumLength: 320),
        SettingDefinition(key: "smtp_from_name", name: LocalizedText(tr: "Gönderen adı", en: "Sender name"), kind: .text,
                          pattern: "[^\\u0000-\\u001F]{1,80}", maximumLength: 80),
        SettingDefinition(key: "whatsapp_language", name: LocalizedText(tr: "WhatsApp şablon dili", en: "WhatsApp template language"), kind: .text,
                          defaultText: "tr", pattern: "[a-z]{2}(_[A-Z]{2})?", maximumLength: 5),
    ])
}
