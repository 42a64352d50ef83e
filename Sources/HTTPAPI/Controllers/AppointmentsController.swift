import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Notify

/// Appointments per branch (F15): book, move, cancel, list; their reminders are jobs.
struct AppointmentsController {
    let notify: NotifyModule
    let settings: APISettings

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("appointments") { request, context in
            let from = try request.queryDate("from") ?? Date().addingTimeInterval(-86_400)
            let to = try request.queryDate("to") ?? from.addingTimeInterval(14 * 86_400)
            return try JSONBody.response(Items(try await notify.appointments.list(branchID: try request.queryUUID("branchId"), from: from, to: to,
                                                                                 by: context.principal)))
        }
        api.post("appointments") { request, context in
            let draft = try await JSONBody.decode(AppointmentDraft.self, from: request, limit: settings.maximumBodyBytes)
            let appointment = try await notify.appointments.book(draft, by: context.principal)
            return try JSONBody.response(appointment, status: .created,
                                         headers: [.location: "/api/v1/appointments/\(appointment.id.uuidString.lowercased())"])
        }
        api.get("appointments/:id") { _, context in
            try JSONBody.response(try await notify.appointments.get(try context.id(of: "The appointment"), by: context.principal))
        }
        api.post("appointments/:id/move") { request, context in
            let move = try await JSONBody.decode(AppointmentMove.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await notify.appointments.move(try context.id(of: "The appointment"), move, by: context.principal))
        }
        api.post("appointments/:id/cancel") { _, context in
            try JSONBody.response(try await notify.appointments.cancel(try context.id(of: "The appointment"), by: context.principal))
        }
    }
}
