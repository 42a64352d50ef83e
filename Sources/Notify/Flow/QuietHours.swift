import Foundation

/// Commercial messages wait out the night: none between `start` and `end` o'clock, tenant time
/// (21:00–09:00 unless the tenant sets otherwise).
struct QuietHours: Sendable, Equatable {
    let start: Int
    let end: Int

    /// When a commercial message may go out at the earliest, from `now`: `now` itself outside the
    /// quiet hours, else the next `end` o'clock.
    func earliest(from now: Date, timeZone: TimeZone) -> Date {
        guard start != end else { return now }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let hour = calendar.component(.hour, from: now)
        let quiet = start < end ? (start..<end).contains(hour) : (hour >= start || hour < end)
        guard quiet else { return now }
        let next = calendar.nextDate(after: now, matching: DateComponents(hour: end, minute: 0, second: 0), matchingPolicy: .nextTime)
        return next ?? now.addingTimeInterval(3600)
    }
}
