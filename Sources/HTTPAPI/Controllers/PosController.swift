import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Loyalty

/// The API of cash registers and partner systems (a device key each): a customer identified at
/// the counter, a sale booked once per idempotency key. And, for the owner and branch managers,
/// the devices themselves: added with a key shown once, listed, revoked.
struct PosController {
    let loyalty: LoyaltyModule
    let settings: APISettings

    func addDeviceRoutes(to pos: RouterGroup<DeviceRequestContext>) {
        pos.get("customers") { request, context in
            let identification = PosIdentification(phone: request.queryGiven("phone"), code: request.queryGiven("code"),
                                                    coupon: request.queryGiven("coupon"))
            return try JSONBody.response(try await loyalty.pos.lookup(identification, key: context.device.key, session: context.device.session))
        }
        pos.post("sales") { request, context in
            let input = try await JSONBody.decode(PosSaleInput.self, from: request, limit: settings.maximumBodyBytes)
            let outcome = try await loyalty.pos.sell(input, idempotencyKey: request.headers[.idempotencyKey], session: context.device.session)
            return try JSONBody.response(outcome.sale, status: .created,
                                         headers: outcome.replayed ? [.idempotentReplayed: "true"] : [:])
        }
    }

    func addManagementRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("pos-devices") { _, context in
            try JSONBody.response(PosDeviceList(items: try await loyalty.devices.list(by: context.principal)))
        }
        api.post("pos-devices") { request, context in
            let input = try await JSONBody.decode(PosDeviceInput.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await loyalty.devices.add(input, by: context.principal), status: .created,
                                         headers: [.cacheControl: "no-store"])
        }
        api.post("pos-devices/:id/revocation") { _, context in
            try JSONBody.response(try await loyalty.devices.revoke(try context.id(of: "The device"), by: context.principal))
        }
    }
}

/// The devices of a tenant, newest first.
struct PosDeviceList: Encodable {
    let items: [PosDevice]
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on the answer to a retry that found its sale booked already.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
