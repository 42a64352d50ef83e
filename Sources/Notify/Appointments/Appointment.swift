import Foundation
import Queue
import SQLKit

/// A slot booked at a branch for a customer (F15), of a kind the business names.
public struct Appointment: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case booked, cancelled
    }

    public let id: UUID
    public let customerId: UUID
    public let branchId: UUID
    /// What it is for, as a code in the business's own words.
    public let kind: String
    public let startsAt: Date
    public let minutes: Int
    public let status: Status
    public let note: String?
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date
}

/// An appointment as submitted.
public struct AppointmentDraft: Sendable, Decodable {
    public var customerId: UUID?
    /// The principal's own branch when left out.
    public var branchId: UUID?
    public var kind: String?
    public var startsAt: Date?
    public var note: String?

    public init(customerId: UUID?, branchId: UUID? = nil, kind: String?, startsAt: Date?, note: String? = nil) {
        self.customerId = customerId
        self.branchId = branchId
        self.kind = kind
        self.startsAt = startsAt
        self.note = note
    }
}

/// A move to another slot.
public struct AppointmentMove: Sendable, Decodable {
    public var startsAt: Date?

    public init(startsAt: Date?) {
        self.startsAt = startsAt
    }
}

/// The reminder of an appointment, `hoursBefore` its start (24 and 2). It carries the start it
/// was made for: a reminder of a slot the appointment has left does nothing.
public struct AppointmentReminderJob: JobArgs, Equatable {
    public static let kind = "notify.appointment_reminder"
    public let appointmentId: UUID
    public let hoursBefore: Int
    public let startsAt: Date

    public init(appointmentId: UUID, hoursBefore: Int, startsAt: Date) {
        self.appointmentId = appointmentId
        self.hoursBefore = hoursBefore
        self.startsAt = startsAt
    }

    /// The key of this reminder's message in the log: the appointment, the hours, the start in milliseconds.
    var messageKey: String {
        "appointment:\(appointmentId.uuidString):\(hoursBefore)h:\(Int64((startsAt.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// The reminder a message key names; nil for any other key.
    init?(messageKey key: String) {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "appointment", let id = UUID(uuidString: String(parts[1])), parts[2].hasSuffix("h"),
              let hours = Int(parts[2].dropLast()), let millis = Int64(parts[3]) else { return nil }
        self.init(appointmentId: id, hoursBefore: hours, startsAt: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// How a reminder is enqueued, first or again: at `runAt`, holding its unique key (cancelled
    /// with the appointment, one at a time).
    func options(queue jobQueue: String, runAt: Date?, tenantID: UUID) -> JobOptions {
        JobOptions(queue: jobQueue, priority: 0, runAt: runAt, maxAttempts: 10,
                   uniqueKey: AppointmentService.reminderKey(id: appointmentId, hours: hoursBefore, startsAt: startsAt), tenantID: tenantID)
    }

    /// Enqueues, in `sql`, the reminder named by a log row's key again, after a failure its
    /// provider reported later: the job tries the next channel. It holds the reminder's own unique
    /// key, so a status delivered twice makes one job, and cancelling or moving the appointment
    /// cancels it as it cancels the first. Nothing for a key of no reminder.
    static func resend(key: String, queue jobQueue: String, tenantID: UUID, runAt: Date?, on queue: JobQueue, sql: any SQLDatabase) async throws {
        guard let job = AppointmentReminderJob(messageKey: key) else { return }
        _ = try await queue.enqueue(job, options: job.options(queue: jobQueue, runAt: runAt, tenantID: tenantID), on: sql)
    }
}
