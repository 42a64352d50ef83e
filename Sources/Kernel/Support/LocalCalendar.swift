import Foundation
import Synchronization

/// Days and months as a tenant's calendar has them: stored times are UTC, and a "day" or a
/// "month" of a statement, an invoice or a report begins at midnight in the tenant's zone.
public struct LocalCalendar: Sendable {
    public let calendar: Calendar

    /// The calendar of a tenant's zone (Europe/Istanbul when the identifier is unknown).
    public init(zone identifier: String) {
        if let known = Self.known.withLock({ $0[identifier] }) {
            self = known
            return
        }
        self.init(TimeZone(identifier: identifier) ?? TimeZone(identifier: TenantService.defaultTimeZone)!)
        let made = self
        Self.known.withLock { if $0.count < Self.mostKnown { $0[identifier] = made } }
    }

    /// The calendars made so far, by zone identifier: looking a zone up and making its calendar
    /// costs more than the date arithmetic it is for (every message formats a date).
    private static let known = Mutex<[String: LocalCalendar]>([:])
    /// More than the zone database holds.
    private static let mostKnown = 1_000

    public init(_ zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    public var zone: TimeZone { calendar.timeZone }

    /// The calendar of UTC, for spans that do not depend on a tenant's zone (a lot of points lapsing
    /// N months after it was earned).
    public static let utc = LocalCalendar(TimeZone(identifier: "UTC")!)

    /// `months` calendar months after `date` (the month's last day when it is shorter); a year per
    /// twelve months of 365 days should the calendar fail.
    public func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date) ?? date.addingTimeInterval(TimeInterval(months) * 365 * 86_400 / 12)
    }

    /// `2026-11` as the first moment of that month and of the next; nil for anything else.
    public func month(_ text: String) -> Range<Date>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 7, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" }), parts.count == 2,
              parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let number = Int(parts[1]),
              (2000...2100).contains(year), (1...12).contains(number),
              let start = calendar.date(from: DateComponents(year: year, month: number, day: 1)),
              let end = calendar.date(byAdding: .month, value: 1, to: start) else { return nil }
        return start..<end
    }

    /// `2026-11-30` as the start of that day; nil for anything else.
    public func day(_ text: String?) -> Date? {
        guard let text, text.count == 10, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" }) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard parts.count == 3, (2000...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// `2026-12-01` of `date`.
    public func isoDay(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(c.year ?? 2000)-\(Self.two(c.month))-\(Self.two(c.day))"
    }

    /// `2026-12` of `date`.
    public func isoMonth(_ date: Date) -> String {
        String(isoDay(date).prefix(7))
    }

    /// `14:05:09` of `date`.
    public func isoTime(_ date: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        return "\(Self.two(c.hour)):\(Self.two(c.minute)):\(Self.two(c.second))"
    }

    /// The year of `date`.
    public func year(_ date: Date) -> Int {
        calendar.component(.year, from: date)
    }

    /// A number in two digits (`07`).
    public static func two(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }
}
