import Contracts
import Foundation

/// Money, dates and phone numbers as a Turkish front desk writes them: `1.250,00 ₺`,
/// `02.12.2026 14:30` in the tenant's time zone, `0532 123 45 67`.
struct Formats: Sendable {
    private let dateTime: DateFormatter
    private let day: DateFormatter
    let timeZone: TimeZone

    init(timeZone identifier: String) {
        timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "Europe/Istanbul")!
        dateTime = DateFormatter()
        dateTime.locale = Locale(identifier: "tr_TR")
        dateTime.timeZone = timeZone
        dateTime.dateFormat = "dd.MM.yyyy HH:mm"
        day = DateFormatter()
        day.locale = Locale(identifier: "tr_TR")
        day.timeZone = timeZone
        day.dateFormat = "dd.MM.yyyy"
    }

    static func money(_ amount: Money) -> String {
        String(amount.turkish.dropLast(2)) + "₺"  // the contracts' `1.250,00 TL`, with the lira sign
    }

    /// An amount as a price field shows it, without the sign: `1250,00`.
    static func amount(_ amount: Money) -> String {
        let value = amount.minorUnits.magnitude
        let cents = value % 100
        return "\(amount.minorUnits < 0 ? "-" : "")\(value / 100),\(cents < 10 ? "0" : "")\(cents)"
    }

    /// An amount typed at the counter: `1250`, `1.250,50`, `1250.5` or `1250,5` (a dot followed by
    /// three digits groups thousands). Nil unless it is a non-negative amount up to 1 000 000 000 TL.
    static func parseMoney(_ text: String) -> Money? {
        var text = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "₺", with: "")
            .replacingOccurrences(of: "TL", with: "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 20 else { return nil }
        if text.contains(",") {
            text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        } else if let dot = text.lastIndex(of: "."), text.distance(from: dot, to: text.endIndex) == 4 {
            text = text.replacingOccurrences(of: ".", with: "")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole <= 1_000_000_000, parts[0].allSatisfy(\.isASCII) else { return nil }
        var cents = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(fraction) else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        return Money(minorUnits: whole * 100 + cents)
    }

    /// A share typed in percent, `15`, `12,5` or `12.5` (up to two decimals, 0–100), in basis points.
    static func parsePercent(_ text: String) -> Int? {
        let text = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: ".")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }),
              parts[0].count <= 3, let whole = Int(parts[0]) else { return nil }
        var hundredths = 0
        if parts.count == 2 {
            guard parts[1].count <= 2, let value = Int(parts[1]) else { return nil }
            hundredths = parts[1].count == 1 ? value * 10 : value
        }
        let basisPoints = whole * 100 + hundredths
        return basisPoints <= 10_000 ? basisPoints : nil
    }

    /// A share as Turkish writes it, the sign first: `%15`, `%12,5`.
    static func percent(basisPoints: Int) -> String {
        let (whole, rest) = basisPoints.quotientAndRemainder(dividingBy: 100)
        guard rest != 0 else { return "%\(whole)" }
        let decimals = rest % 10 == 0 ? "\(rest / 10)" : (rest < 10 ? "0\(rest)" : "\(rest)")
        return "%\(whole),\(decimals)"
    }

    func dateTime(_ date: Date) -> String { dateTime.string(from: date) }
    func day(_ date: Date) -> String { day.string(from: date) }

    /// Whether `date` falls on the same calendar day as `now` in the tenant's zone.
    func isSameDay(_ date: Date, as now: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.isDate(date, inSameDayAs: now)
    }

    /// An E.164 Turkish number (`+905321234567`) written the national way; other numbers as stored.
    static func phone(_ e164: String) -> String {
        let digits = Array(e164.utf8.dropFirst(3))
        guard e164.hasPrefix("+90"), digits.count == 10 else { return e164 }
        let text = String(decoding: digits, as: UTF8.self)
        let parts = [text.prefix(3), text.dropFirst(3).prefix(3), text.dropFirst(6).prefix(2), text.dropFirst(8)]
        return "0" + parts.joined(separator: " ")
    }

    /// Square metres of a measured line, `3,00 m²`.
    static func area(widthCm: Int, lengthCm: Int) -> String {
        let (square, overflow) = widthCm.multipliedReportingOverflow(by: lengthCm)
        let (rounded, carried) = square.addingReportingOverflow(50)
        guard !overflow, !carried, square >= 0 else { return "—" }
        let hundredths = rounded / 100  // cm² → hundredths of m², rounded
        let cents = hundredths % 100
        return "\(hundredths / 100),\(cents < 10 ? "0" : "")\(cents) m²"
    }
}
