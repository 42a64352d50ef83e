import Contracts
import Foundation
import Kernel

/// Amounts, dates and names as a customer reads them in a message.
enum MessageFormat {
    /// `1.250,00 ₺` in Turkish, `₺1,250.00` in English.
    static func money(_ amount: Money, language: String) -> String {
        let minor = amount.minorUnits
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        let lira = String(magnitude / 100)
        let kurus = magnitude % 100
        let english = language.lowercased().hasPrefix("en")
        var grouped = ""
        for (index, digit) in lira.enumerated() {
            if index > 0, (lira.count - index) % 3 == 0 { grouped.append(english ? "," : ".") }
            grouped.append(digit)
        }
        let cents = kurus < 10 ? "0\(kurus)" : "\(kurus)"
        return english ? "\(sign)₺\(grouped).\(cents)" : "\(sign)\(grouped),\(cents) ₺"
    }

    /// `12.03.2026 14:00` in the tenant's zone (the same in both languages, as Turkish businesses write it).
    static func dateTime(_ date: Date, timeZone: TimeZone) -> String {
        let parts = LocalCalendar(zone: timeZone.identifier).calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        return "\(Self.two(parts.day)).\(Self.two(parts.month)).\(parts.year ?? 0) \(Self.two(parts.hour)):\(Self.two(parts.minute))"
    }

    /// `12.03.2026` in the tenant's zone.
    static func date(_ date: Date, timeZone: TimeZone) -> String {
        String(dateTime(date, timeZone: timeZone).prefix(10))
    }

    /// A number of a date or time in two digits (`07`).
    static func two(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }

    /// "Ahmet Bey" / "Ayşe Hanım" from the first name and the form of address; the name as written without one.
    static func addressed(name: String, salutation: Salutation?) -> String {
        guard let salutation, let first = name.split(separator: " ").first else { return name }
        return "\(first) \(salutation.word)"
    }
}
