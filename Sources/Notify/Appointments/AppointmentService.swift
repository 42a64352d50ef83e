import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage

/// Booking, moving and cancelling appointments, per branch, within its capacity: slots of the
/// tenant's appointment length, at most `appointment_capacity` at once. Each booking enqueues its
/// reminders (24 h and 2 h before) in the same transaction; a move or cancellation cancels them in
/// its own, and a move enqueues the new ones.
public struct AppointmentService: Sendable {
    let database: any Database
    let settings: SettingsService
    let tenants: TenantService
    let queue: JobQueue
    let jobQueue: String
    let clock: KernelClock

    static let reminderHours = [24, 2]

    public func book(_ draft: AppointmentDraft, by principal: Principal) async throws -> Appointment {
        try principal.require(.writeOrders)
        var errors: [FieldError] = []
        let kind = Self.kind(draft.kind, errors: &errors)
        if let note = draft.note, note.unicodeScalars.count > 500 || note.unicodeScalars.contains(where: { $0.value == 0 }) {
            errors.append(FieldError(field: "note", code: .invalidValue, message: "A note is at most 500 characters, without NUL."))
        }
        if draft.customerId == nil { errors.append(FieldError(field: "customerId", code: .missingField, message: "customerId is required.")) }
        guard let branchID = draft.branchId ?? principal.branchID else {
            throw DomainError.invalid("branchId", .missingField, "branchId is required for a user without a branch.")
        }
        if let confined = principal.confinedBranch, confined != branchID { throw DomainError.forbidden }
        let options = try await settings.values(owner: NotifySettings.owner, tenantID: principal.tenantID)
        let minutes = options.integer("appointment_minutes")
        let zone = LocalCalendar(zone: try await tenants.current(principal).timeZone).zone
        let startsAt = try Self.slot(draft.startsAt, minutes: minutes, zone: zone, now: clock.now(), errors: &errors)
        guard errors.isEmpty, let customerID = draft.customerId, let startsAt, let kind else { throw Self.invalid(errors) }
        let now = clock.now()
        let appointment = Appointment(id: UUID(), customerId: customerID, branchId: branchID, kind: kind, startsAt: startsAt, minutes: minutes,
                                      status: .booked, note: draft.note, version: 1, createdAt: now, updatedAt: now)
        let (queue, jobQueue) = (self.queue, self.jobQueue)
        let capacity = options.integer("appointment_capacity")
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            try await Self.lockBranch(branchID, tenantID: principal.tenantID, sql: sql)
            guard try await sql.raw("""
                SELECT id FROM customers WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: customerID) AND deleted_at IS NULL
                """).first() != nil else { throw DomainError.invalid("customerId", .unknownCustomer, "No such customer.") }
            try await Self.checkCapacity(branchID: branchID, startsAt: startsAt, minutes: minutes, capacity: capacity, except: nil, tenantID: principal.tenantID,
                                         zone: zone, sql: sql)
            try await sql.raw("""
                INSERT INTO notify_appointments (tenant_id, id, branch_id, customer_id, kind, starts_at, minutes, status, note, version,
                                                 created_by, created_at, updated_at)
                VALUES (\(bind: principal.tenantID), \(bind: appointment.id), \(bind: branchID), \(bind: customerID), \(bind: kind),
                        \(bind: startsAt), \(bind: minutes), 'booked', \(bind: draft.note), 1, \(bind: principal.userID), \(bind: now), \(bind: now))
                """).run()
            try await Self.scheduleReminders(appointment, tenantID: principal.tenantID, queue: queue, jobQueue: jobQueue, now: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: branchID, actor: principal.actor, action: "appointment.book",
                                      entity: "appointment", entityID: appointment.id.uuidString, after: appointment, at: now)
            return appointment
        }
    }

    public func move(_ id: UUID, _ change: AppointmentMove, by principal: Principal) async throws -> Appointment {
        try principal.require(.writeOrders)
        let options = try await settings.values(owner: NotifySettings.owner, tenantID: principal.tenantID)
        let zone = LocalCalendar(zone: try await tenants.current(principal).timeZone).zone
        var errors: [FieldError] = []
        let minutes = options.integer("appointment_minutes")
        guard let startsAt = try Self.slot(change.startsAt, minutes: minutes, zone: zone, now: clock.now(), errors: &errors), errors.isEmpty else {
            throw Self.invalid(errors)
        }
        let now = clock.now()
        let (queue, jobQueue) = (self.queue, self.jobQueue)
        let capacity = options.integer("appointment_capacity")
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let before = try await Self.visible(id, principal: principal, sql: sql)
            try await Self.lockBranch(before.branchId, tenantID: principal.tenantID, sql: sql)
            let current = try await Self.visible(id, principal: principal, sql: sql)
            guard current.status == .booked else { throw DomainError(.conflict, "The appointment is cancelled; book a new one.") }
            try await Self.checkCapacity(branchID: current.branchId, startsAt: startsAt, minutes: minutes, capacity: capacity, except: id, tenantID: principal.tenantID,
                                         zone: zone, sql: sql)
            try await sql.raw("""
                UPDATE notify_appointments SET starts_at = \(bind: startsAt), minutes = \(bind: minutes), version = version + 1, updated_at = \(bind: now)
                WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: id)
                """).run()
            let after = try await Self.load(id, tenantID: principal.tenantID, sql: sql)!
            try await Self.cancelReminders(current, queue: queue, sql: sql)
            try await Self.scheduleReminders(after, tenantID: principal.tenantID, queue: queue, jobQueue: jobQueue, now: now, sql: sql)
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: current.branchId, actor: principal.actor, action: "appointment.move",
                                      entity: "appointment", entityID: id.uuidString, before: current, after: after, at: now)
            return after
        }
    }

    public func cancel(_ id: UUID, by principal: Principal) async throws -> Appointment {
        try principal.require(.writeOrders)
        let now = clock.now()
        let queue = self.queue
        return try await database.transaction(.tenant(principal.tenantID)) { sql in
            let before = try await Self.visible(id, principal: principal, sql: sql)
            try await Self.lockBranch(before.branchId, tenantID: principal.tenantID, sql: sql)
            let current = try await Self.visible(id, principal: principal, sql: sql)
            guard current.status == .booked else { return current }
            try await sql.raw("""
                UPDATE notify_appointments SET status = 'cancelled', version = version + 1, updated_at = \(bind: now)
                WHERE tenant_id = \(bind: principal.tenantID) AND id = \(bind: id)
                """).run()
            try await Self.cancelReminders(current, queue: queue, sql: sql)
            let after = try await Self.load(id, tenantID: principal.tenantID, sql: sql)!
            try await AuditLog.record(sql, tenantID: principal.tenantID, branchID: current.branchId, actor: principal.actor, action: "appointment.cancel",
                                      entity: "appointment", entityID: id.uuidString, before: current, after: after, at: now)
            return after
        }
    }

    public func get(_ id: UUID, by principal: Principal) async throws -> Appointment {
        try principal.require(.readOrders)
        return try await database.read(.tenant(principal.tenantID)) { sql in try await Self.visible(id, principal: principal, sql: sql) }
    }

    /// Booked and cancelled appointments starting in [from, to), by start; a branch-bound user sees their branch's.
    public func list(branchID: UUID?, from: Date, to: Date, by principal: Principal) async throws -> [Appointment] {
        try principal.require(.readOrders)
        guard to > from, to.timeIntervalSince(from) <= 62 * 86_400 else {
            throw DomainError.invalid("to", .invalidParameter, "to must be after from, at most 62 days later.")
        }
        let branch = principal.confinedBranch ?? branchID
        let filter: SQLQueryString = branch.map { "AND branch_id = \(bind: $0)" } ?? ""
        return try await database.read(.tenant(principal.tenantID)) { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM notify_appointments
                WHERE tenant_id = \(bind: principal.tenantID) AND starts_at >= \(bind: from) AND starts_at < \(bind: to) \(filter)
                ORDER BY starts_at, id LIMIT 1000
                """).all().map(Self.appointment)
        }
    }

    // MARK: - Rules

    static func kind(_ text: String?, errors: inout [FieldError]) -> String? {
        guard let text else {
            errors.append(FieldError(field: "kind", code: .missingField, message: "kind is required."))
            return nil
        }
        guard CodeText.isCode(text, maximumLength: 40) else {
            errors.append(FieldError(field: "kind", code: .invalidValue, message: "kind is a code: lowercase letters, digits and _, 1–40 characters."))
            return nil
        }
        return text
    }

    /// The start, checked: on a slot boundary of the tenant's day, in the future, within a year.
    static func slot(_ startsAt: Date?, minutes: Int, zone: TimeZone, now: Date, errors: inout [FieldError]) throws -> Date? {
        guard let startsAt else {
            errors.append(FieldError(field: "startsAt", code: .missingField, message: "startsAt is required."))
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute, .second, .nanosecond], from: startsAt)
        let minuteOfDay = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        if parts.second != 0 || startsAt.timeIntervalSince1970.rounded(.down) != startsAt.timeIntervalSince1970 || minuteOfDay % minutes != 0 {
            errors.append(FieldError(field: "startsAt", code: .invalidValue,
                                     message: "startsAt must be on a \(minutes)-minute slot of the business's day (e.g. 14:00, 14:\(minutes < 60 ? String(format: "%02d", minutes) : "00"))."))
        } else if startsAt <= now {
            errors.append(FieldError(field: "startsAt", code: .invalidValue, message: "startsAt must be in the future."))
        } else if startsAt.timeIntervalSince(now) > 366 * 86_400 {
            errors.append(FieldError(field: "startsAt", code: .invalidValue, message: "startsAt must be within a year."))
        }
        return startsAt
    }

    static func invalid(_ errors: [FieldError]) -> DomainError {
        let code = Set(errors.map(\.code)).count == 1 ? errors[0].code : .validationFailed
        return DomainError(code, errors.map(\.message).joined(separator: " "), fields: errors)
    }

    /// Locks the branch's row until the transaction ends (PostgreSQL), so that two bookings of
    /// one branch count its slots one after the other.
    static func lockBranch(_ branchID: UUID, tenantID: UUID, sql: any SQLDatabase) async throws {
        guard try await sql.raw("""
            SELECT id FROM branches WHERE tenant_id = \(bind: tenantID) AND id = \(bind: branchID) \(SQLLockingClause.update)
            """).first() != nil else { throw DomainError.invalid("branchId", .unknownBranch, "No such branch.") }
    }

    static func checkCapacity(branchID: UUID, startsAt: Date, minutes: Int, capacity: Int, except: UUID?, tenantID: UUID, zone: TimeZone,
                              sql: any SQLDatabase) async throws {
        // Every booked appointment that overlaps [startsAt, end), whatever its length (the slot length may have changed).
        let end = startsAt.addingTimeInterval(Double(minutes) * 60)
        let taken = try await sql.raw("""
            SELECT id, starts_at, minutes FROM notify_appointments
            WHERE tenant_id = \(bind: tenantID) AND branch_id = \(bind: branchID) AND status = 'booked'
              AND starts_at < \(bind: end) AND starts_at > \(bind: startsAt.addingTimeInterval(-480 * 60))
            """).all().filter { row in
                let start = try row.decode(column: "starts_at", as: Date.self)
                return start.addingTimeInterval(Double(try row.decode(column: "minutes", as: Int.self)) * 60) > startsAt
            }.map { try $0.decode(column: "id", as: UUID.self) }.filter { $0 != except }
        guard taken.count < capacity else {
            throw DomainError(.conflict, "The slot at \(MessageFormat.dateTime(startsAt, timeZone: zone)) is full (\(capacity) at once).")
        }
    }

    static func scheduleReminders(_ appointment: Appointment, tenantID: UUID, queue: JobQueue, jobQueue: String, now: Date,
                                  sql: any SQLDatabase) async throws {
        for hours in reminderHours {
            let runAt = appointment.startsAt.addingTimeInterval(-Double(hours) * 3600)
            guard runAt > now else { continue }
            let job = AppointmentReminderJob(appointmentId: appointment.id, hoursBefore: hours, startsAt: appointment.startsAt)
            _ = try await queue.enqueue(job, options: job.options(queue: jobQueue, runAt: runAt, tenantID: tenantID), on: sql)
        }
    }

    static func cancelReminders(_ appointment: Appointment, queue: JobQueue, sql: any SQLDatabase) async throws {
        for hours in reminderHours { try await queue.cancelPending(uniqueKey: reminderKey(appointment, hours: hours), on: sql) }
    }

    /// Names the start too: a reminder of the old start still running during a move does not
    /// hold the key the new one needs.
    static func reminderKey(_ appointment: Appointment, hours: Int) -> String {
        reminderKey(id: appointment.id, hours: hours, startsAt: appointment.startsAt)
    }

    static func reminderKey(id: UUID, hours: Int, startsAt: Date) -> String {
        "appointment:\(id.uuidString):\(hours)h:\(Int64(startsAt.timeIntervalSince1970))"
    }

    // MARK: - Rows

    static let columns = "id, branch_id, customer_id, kind, starts_at, minutes, status, note, version, created_at, updated_at"

    static func load(_ id: UUID, tenantID: UUID, sql: any SQLDatabase) async throws -> Appointment? {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM notify_appointments WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)")
            .first().map(appointment)
    }

    /// The appointment if the principal may see it (their branch's, for a branch-bound role).
    static func visible(_ id: UUID, principal: Principal, sql: any SQLDatabase) async throws -> Appointment {
        guard let appointment = try await load(id, tenantID: principal.tenantID, sql: sql),
              principal.confinedBranch.map({ $0 == appointment.branchId }) ?? true else { throw DomainError.notFound("The appointment") }
        return appointment
    }

    static func appointment(_ row: any SQLRow) throws -> Appointment {
        Appointment(
            id: try row.decode(column: "id", as: UUID.self),
            customerId: try row.decode(column: "customer_id", as: UUID.self),
            branchId: try row.decode(column: "branch_id", as: UUID.self),
            kind: try row.decode(column: "kind", as: String.self),
            startsAt: try row.decode(column: "starts_at", as: Date.self),
            minutes: try row.decode(column: "minutes", as: Int.self),
            status: try StoredValue.parse(Appointment.Status.self, try row.decode(column: "status", as: String.self), column: "notify_appointments.status"),
            note: try row.decode(column: "note", as: String?.self),
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }
}
