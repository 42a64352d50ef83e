import Contracts
import Foundation
import Kernel

/// How long a ready order waits for free, what each period after costs, and when it is at risk of
/// being lost or mixed up.
struct StoragePolicy: Sendable {
    enum Period: String, Sendable { case day, month }

    var freeDays: Int
    /// Kuruş per period after the free days; 0 charges nothing.
    var fee: Money
    var period: Period
    var riskDays: Int

    init(_ values: SectorSettings) {
        freeDays = values.integer("storage_free_days")
        fee = Money(minorUnits: values.integer("storage_fee"))
        period = Period(rawValue: values.text("storage_fee_period") ?? "month") ?? .month
        riskDays = max(1, values.integer("storage_risk_days"))
    }

    /// The periods that have begun by `now` for an order ready since `readyAt`: period 1 begins
    /// when the free days end, period 2 a day or a calendar month after, and so on.
    func periodsBegun(readyAt: Date, now: Date, calendar: Calendar) -> Int {
        guard let freeEnd = calendar.date(byAdding: .day, value: freeDays, to: readyAt), now >= freeEnd else { return 0 }
        switch period {
        case .day:
            return (calendar.dateComponents([.day], from: freeEnd, to: now).day ?? 0) + 1
        case .month:
            return (calendar.dateComponents([.month], from: freeEnd, to: now).month ?? 0) + 1
        }
    }
}
