import Foundation
import Queue

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
}
