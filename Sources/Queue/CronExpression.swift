import Foundation

/// A five-field cron expression — minute, hour, day of month, month, day of week — as in
/// crontab(5): `*`, lists `1,15`, ranges `1-5`, steps `*/10` and `9-17/2`, month and weekday
/// names (`jan`, `mon`). When both day fields are restricted, either may match (crontab's rule).
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws {
        let fields = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(description: "'\(text)' must have five fields: minute hour day-of-month month day-of-week")
        }
        description = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], 0...59, names: [:])
        hours = try Self.field(fields[1], 0...23, names: [:])
        daysOfMonth = try Self.field(fields[2], 1...31, names: [:])
        months = try Self.field(fields[3], 1...12, names: Self.monthNames)
        var weekdays = try Self.field(fields[4], 0...7, names: Self.weekdayNames)
        if weekdays.remove(7) != nil { weekdays.insert(0) }
        daysOfWeek = weekdays
        dayOfMonthRestricted = fields[2] != "*"
        dayOfWeekRestricted = fields[4] != "*"
    }

    static let monthNames = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    static let weekdayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func field(_ text: String, _ range: ClosedRange<Int>, names: [String: Int]) throws -> Set<Int> {
        var values: Set<Int> = []
        for part in text.lowercased().split(separator: ",") {
            let pieces = part.split(separator: "/", maxSplits: 1)
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { throw ParseError(description: "bad step in '\(part)'") }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else {
                let bounds = pieces[0].split(separator: "-", maxSplits: 1).map { token -> Int? in names[String(token)] ?? Int(token) }
                guard !bounds.isEmpty, bounds.allSatisfy({ $0 != nil }) else { throw ParseError(description: "bad value in '\(part)'") }
                let low = bounds[0]!, high = bounds.count == 2 ? bounds[1]! : (pieces.count == 2 ? range.upperBound : bounds[0]!)
                guard range.contains(low), range.contains(high), low <= high else {
                    throw ParseError(description: "'\(part)' is outside \(range.lowerBound)–\(range.upperBound)")
                }
                span = low...high
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    /// The first time strictly after `date` that matches, in `timeZone`; nil if none within five years.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = date.addingTimeInterval(60 - date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60))
        var day = calendar.startOfDay(for: start)
        let sortedHours = hours.sorted(), sortedMinutes = minutes.sorted()
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if months.contains(parts.month!), matchesDay(dayOfMonth: parts.day!, weekday: parts.weekday! - 1) {
                for hour in sortedHours {
                    for minute in sortedMinutes {
                        var wanted = DateComponents()
                        (wanted.year, wanted.month, wanted.day, wanted.hour, wanted.minute) = (parts.year, parts.month, parts.day, hour, minute)
                        guard let candidate = calendar.date(from: wanted), candidate >= start else { continue }
                        // A local time that does not exist (clocks moved forward) is skipped.
                        let check = calendar.dateComponents([.hour, .minute], from: candidate)
                        if check.hour == hour && check.minute == minute { return candidate }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    private func matchesDay(dayOfMonth: Int, weekday: Int) -> Bool {
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): daysOfMonth.contains(dayOfMonth) || daysOfWeek.contains(weekday)
        case (true, false): daysOfMonth.contains(dayOfMonth)
        case (false, true): daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }
}
