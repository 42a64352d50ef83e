import Contracts
import Foundation
import Kernel
@testable import Notify
import Queue
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("Appointments and their reminders")
struct AppointmentTests {
    /// The next 30-minute slot at least `hours` from now.
    static func slot(hoursAhead hours: Double) -> Date {
        let seconds = Date().addingTimeInterval(hours * 3600).timeIntervalSince1970
        return Date(timeIntervalSince1970: (seconds / 1800).rounded(.up) * 1800)
    }

    static func reminders(_ fixture: NotifyFixture) async throws -> [JobRecord] {
        try await fixture.kernel.queue.jobs(state: nil, queue: fixture.queueName, limit: 100).filter { $0.kind == AppointmentReminderJob.kind }
    }

    @Test("booking schedules reminders 24 h and 2 h before; a move moves them, a cancellation cancels them", arguments: TestDatabases.engines)
    func remindersFollowTheAppointment(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "carwash")
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer()
        let startsAt = Self.slot(hoursAhead: 48)
        let appointment = try await fixture.notify.appointments.book(
            AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: startsAt), by: fixture.tenant.ownerPrincipal)
        var jobs = try await Self.reminders(fixture)
        #expect(Set(jobs.filter { $0.state == .scheduled }.map(\.runAt)) == [startsAt.addingTimeInterval(-24 * 3600), startsAt.addingTimeInterval(-2 * 3600)])

        let later = startsAt.addingTimeInterval(3 * 3600)
        let moved = try await fixture.notify.appointments.move(appointment.id, AppointmentMove(startsAt: later), by: fixture.tenant.ownerPrincipal)
        #expect(moved.startsAt == later && moved.version == 2)
        jobs = try await Self.reminders(fixture)
        #expect(jobs.filter { $0.state == .cancelled }.count == 2)
        #expect(Set(jobs.filter { $0.state == .scheduled }.map(\.runAt)) == [later.addingTimeInterval(-24 * 3600), later.addingTimeInterval(-2 * 3600)])

        let cancelled = try await fixture.notify.appointments.cancel(appointment.id, by: fixture.tenant.ownerPrincipal)
        #expect(cancelled.status == .cancelled)
        jobs = try await Self.reminders(fixture)
        #expect(jobs.allSatisfy { $0.state == .cancelled } && jobs.count == 4)
    }

    @Test("a slot takes the branch's capacity and no more; starts off the slot grid or in the past are refused", arguments: TestDatabases.engines)
    func capacityAndSlots(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "carwash")
        defer { Task { await fixture.stop() } }
        _ = try await fixture.kernel.settingsService.change("appointment_capacity", to: .integer(2), by: fixture.tenant.ownerPrincipal)
        let customer = try await fixture.customer()
        let startsAt = Self.slot(hoursAhead: 30)
        let draft = AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: startsAt)
        _ = try await fixture.notify.appointments.book(draft, by: fixture.tenant.ownerPrincipal)
        _ = try await fixture.notify.appointments.book(draft, by: fixture.tenant.ownerPrincipal)
        let full = await #expect(throws: DomainError.self) { _ = try await fixture.notify.appointments.book(draft, by: fixture.tenant.ownerPrincipal) }
        #expect(full?.code == .conflict && full?.message.contains("full") == true)
        let offGrid = await #expect(throws: DomainError.self) {
            _ = try await fixture.notify.appointments.book(
                AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: startsAt.addingTimeInterval(600)),
                by: fixture.tenant.ownerPrincipal)
        }
        #expect(offGrid?.fields.first?.field == "startsAt")
        let past = await #expect(throws: DomainError.self) {
            _ = try await fixture.notify.appointments.book(
                AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: Self.slot(hoursAhead: -2)),
                by: fixture.tenant.ownerPrincipal)
        }
        #expect(past?.message.contains("future") == true)
    }

    @Test("bookings racing for the last place of a slot: exactly one gets it", arguments: TestDatabases.engines)
    func racingBookings(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "carwash")
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer()
        let draft = AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: Self.slot(hoursAhead: 72))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await fixture.notify.appointments.book(draft, by: fixture.tenant.ownerPrincipal)) != nil }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let booked = try await fixture.notify.appointments.list(branchID: nil, from: Date(), to: Date().addingTimeInterval(5 * 86_400),
                                                               by: fixture.tenant.ownerPrincipal)
        #expect(booked.filter { $0.status == .booked }.count == 1)
    }

    @Test("a due reminder texts the customer with the time; one made for a slot the appointment has left does nothing", arguments: TestDatabases.engines)
    func reminderSends(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "carwash")
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer(name: "Mehmet Demir", salutation: "bey")
        let startsAt = Self.slot(hoursAhead: 26)
        let appointment = try await fixture.notify.appointments.book(
            AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: startsAt), by: fixture.tenant.ownerPrincipal)
        // A stale reminder, as if made for an earlier slot, and the 24-hour one brought forward to now.
        _ = try await fixture.kernel.queue.enqueue(
            AppointmentReminderJob(appointmentId: appointment.id, hoursBefore: 2, startsAt: startsAt.addingTimeInterval(-1800)),
            options: JobOptions(queue: fixture.queueName, tenantID: fixture.tenant.tenant.id))
        try await fixture.kernel.database.transaction(.system) { sql in
            let key = "appointment:\(appointment.id.uuidString):24h:\(Int64(startsAt.timeIntervalSince1970))"
            try await sql.raw("UPDATE jobs SET run_at = \(bind: Date().addingTimeInterval(-1)), state = 'available' WHERE unique_key = \(bind: key)").run()
        }
        try await fixture.working {
            try await expectEventually { fixture.gateway.sent.count == 1 }
            try await expectEventually {
                try await fixture.kernel.queue.jobs(state: nil, queue: fixture.queueName, limit: 100)
                    .filter { $0.kind == AppointmentReminderJob.kind && JobState.pending.contains($0.state) && $0.runAt < Date() }.isEmpty
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Istanbul")!
        let local = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: startsAt)
        let when = String(format: "%02d.%02d.%d %02d:%02d", local.day!, local.month!, local.year!, local.hour!, local.minute!)
        #expect(fixture.gateway.sent.map(\.text) == ["Mehmet Bey, \(when) yıkama randevunuzu hatırlatırız. \(fixture.tenant.branch.name)"])
        let records = try await fixture.messages(customer)
        #expect(records.count == 1 && records.first?.message == "appointment_reminder")
    }

    @Test("a reminder that WhatsApp reports failed later goes out by SMS, once; a cancellation cancels that follow-up too", arguments: TestDatabases.engines)
    func laterFailureFallsBack(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine, sector: "carwash")
        defer { Task { await fixture.stop() } }
        try await fixture.setUpWhatsApp()
        let customer = try await fixture.customer(name: "Mehmet Demir", salutation: "bey", channel: "whatsapp")
        let startsAt = Self.slot(hoursAhead: 26)
        let appointment = try await fixture.notify.appointments.book(
            AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: startsAt), by: fixture.tenant.ownerPrincipal)
        let key = "appointment:\(appointment.id.uuidString):24h:\(Int64(startsAt.timeIntervalSince1970))"
        try await fixture.kernel.database.transaction(.system) { sql in
            try await sql.raw("UPDATE jobs SET run_at = \(bind: Date().addingTimeInterval(-1)), state = 'available' WHERE unique_key = \(bind: key)").run()
        }
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
            let wamid = try #require(fixture.graph.sent.first?.id)
            let failed = WhatsAppTests.statusNotification(id: wamid, status: "failed", errorCode: 131026)
            for _ in 0..<2 {  // Meta may deliver a notification more than once
                _ = try await fixture.notify.whatsAppWebhook.receive(tenantID: fixture.tenant.tenant.id, body: Data(failed.utf8),
                                                                     signature: WhatsAppTests.signed(failed))
            }
            try await expectEventually { try await fixture.messages(customer).contains { $0.channel == .sms && $0.status == .sent } }
            try await expectEventually {
                try await fixture.kernel.queue.jobs(state: nil, queue: fixture.queueName, limit: 100)
                    .filter { $0.kind == AppointmentReminderJob.kind && JobState.pending.contains($0.state) && $0.runAt < Date() }.isEmpty
            }
        }
        #expect(fixture.graph.sent.count == 1 && fixture.gateway.sent.count == 1)
        #expect(fixture.gateway.sent.first?.text.contains("yıkama randevunuzu hatırlatırız") == true)
        let records = try await fixture.messages(customer)
        #expect(records.count == 2 && records.allSatisfy { $0.message == "appointment_reminder" })
        #expect(records.first { $0.channel == .whatsapp }?.status == .failed)

        // A follow-up waiting to run holds the reminder's key: cancelling the appointment cancels it.
        let later = try await fixture.notify.appointments.book(
            AppointmentDraft(customerId: customer.id, branchId: fixture.tenant.branch.id, kind: "car_wash", startsAt: Self.slot(hoursAhead: 50)),
            by: fixture.tenant.ownerPrincipal)
        let laterKey = "appointment:\(later.id.uuidString):24h:\(Int64(later.startsAt.timeIntervalSince1970))"
        try await fixture.kernel.database.transaction(.system) { sql in
            try await sql.raw("UPDATE jobs SET run_at = \(bind: Date().addingTimeInterval(-1)), state = 'available' WHERE unique_key = \(bind: laterKey)").run()
        }
        try await fixture.working {
            try await expectEventually { fixture.graph.sent.count == 2 }
            try await expectEventually { try await fixture.messages(customer).filter { $0.status == .sent }.count == 2 }
        }
        let wamid = try #require(fixture.graph.sent.last?.id)
        let failed = WhatsAppTests.statusNotification(id: wamid, status: "failed", errorCode: 131026)
        _ = try await fixture.notify.whatsAppWebhook.receive(tenantID: fixture.tenant.tenant.id, body: Data(failed.utf8), signature: WhatsAppTests.signed(failed))
        func followUps() async throws -> [JobRecord] {
            try await fixture.kernel.queue.jobs(state: nil, queue: fixture.queueName, limit: 100).filter { $0.uniqueKey == laterKey && $0.attempt == 0 }
        }
        let waiting = try await followUps().map(\.state)
        #expect(waiting.count == 1 && waiting.allSatisfy { JobState.pending.contains($0) })
        _ = try await fixture.notify.appointments.cancel(later.id, by: fixture.tenant.ownerPrincipal)
        let afterCancel = try await followUps().map(\.state)
        #expect(afterCancel == [.cancelled])
        #expect(fixture.gateway.sent.count == 1)
    }
}
