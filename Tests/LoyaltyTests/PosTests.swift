import Contracts
import Foundation
import Kernel
@testable import Loyalty
import Storage
import Testing
import TestSupport

@Suite("POS: tills, their keys, look-ups and sales")
struct PosTests {
    static func customer(_ fixture: LoyaltyFixture, _ name: String, phone: String) async throws -> Customer {
        try await fixture.kernel.customers.create(CustomerDraft(name: name, phones: [PhoneInput(number: phone)]), by: fixture.owner)
    }

    static func till(_ fixture: LoyaltyFixture, name: String = "Kasa 1") async throws -> IssuedPosDevice {
        try await fixture.loyalty.devices.add(PosDeviceInput(name: name, branchId: fixture.tenant.branch.id), by: fixture.owner)
    }

    static func isUnauthenticated(_ error: any Error) -> Bool { (error as? DomainError)?.code == .unauthenticated }

    @Test("a till finds the customer by phone, card code or coupon, with usable points and coupons; a revoked key is refused by the next request",
          arguments: TestDatabases.engines)
    func lookup(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock)
        let ayse = try await Self.customer(fixture, "Ayşe Yılmaz", phone: "0532 111 22 33")
        let emre = try await Self.customer(fixture, "Emre Kaya", phone: "0533 444 55 66")
        _ = try await fixture.loyalty.points.load(PointsLoadInput(customerIds: [ayse.id], points: 300, reason: "açılış"), by: fixture.owner)
        _ = try await fixture.loyalty.points.load(PointsLoadInput(customerIds: [ayse.id], points: 50, reason: "eski",
                                                                  expiresAt: clock.now.addingTimeInterval(86_400)), by: fixture.owner)
        let batch = try await fixture.loyalty.coupons.issue(CouponBatchInput(customerIds: [ayse.id], kind: "amount", value: 2_000,
                                                                             validUntil: clock.now.addingTimeInterval(30 * 86_400)), by: fixture.owner)
        // Another tenant's customer with Ayşe's number stays out of sight.
        let elsewhere = try await TenantFixture.make(fixture.kernel)
        _ = try await fixture.kernel.customers.create(CustomerDraft(name: "Başka Biri", phones: [PhoneInput(number: "+90 532 111 2233")]),
                                                      by: elsewhere.ownerPrincipal)

        let till = try await Self.till(fixture)
        #expect(till.key.hasPrefix(PosDevices.keyPrefix) && till.device.keyHint == String(till.key.suffix(4)))
        let pos = fixture.loyalty.pos
        let devices = fixture.loyalty.devices
        @Sendable func find(_ identification: PosIdentification) async throws -> PosLookup {
            try await pos.lookup(identification, key: till.key, session: try await devices.authenticate(key: till.key, origin: RequestOrigin()))
        }
        let byPhone = try await find(PosIdentification(phone: "+90 (532) 111 22 33"))
        #expect(byPhone.items.map(\.id) == [ayse.id] && byPhone.items[0].points == 350, "\(byPhone)")
        #expect(byPhone.items[0].coupons.map(\.code) == batch.coupons.map(\.code) && byPhone.items[0].coupons[0].value == 2_000)
        clock.advance(days: 2)   // the 50 lapse: a lapsed lot is not usable even before its expiry is posted
        #expect(try await find(PosIdentification(code: ayse.code.lowercased())).items.map(\.points) == [300])
        #expect(try await find(PosIdentification(coupon: batch.coupons[0].code.lowercased())).items.map(\.id) == [ayse.id])
        #expect(try await find(PosIdentification(phone: "05334445566")).items.map { [$0.name, String($0.points), String($0.coupons.count)] }
                == [["Emre Kaya", "0", "0"]])
        await #expect { try await find(PosIdentification(phone: "0555 000 00 00")) } throws: { ($0 as? DomainError)?.code == .notFound }
        await #expect { try await find(PosIdentification(phone: "12")) } throws: { ($0 as? DomainError)?.code == .invalidPhone }
        // Bounds count characters, as the API document's maxLength does: 40 Turkish letters are 80 bytes.
        await #expect { try await find(PosIdentification(code: String(repeating: "Ş", count: 40))) } throws: { ($0 as? DomainError)?.code == .notFound }
        for tooLong in [PosIdentification(code: String(repeating: "Ş", count: 41)), PosIdentification(coupon: String(repeating: "A", count: 41))] {
            await #expect { try await find(tooLong) } throws: { ($0 as? DomainError)?.code == .invalidParameter }
        }
        await #expect { try await find(PosIdentification(phone: "05334445566", code: "C00001")) } throws: {
            ($0 as? DomainError)?.code == .invalidParameter
        }
        await #expect { try await devices.authenticate(key: till.key + "x", origin: RequestOrigin()) } throws: { Self.isUnauthenticated($0) }

        // Revoked by another process's module (its own cache): this one's next request is refused.
        let elsewhereProcess = LoyaltyModule(kernel: fixture.kernel)
        #expect(try await elsewhereProcess.devices.revoke(till.device.id, by: fixture.owner).revokedAt != nil)
        await #expect { try await find(PosIdentification(phone: "05334445566")) } throws: { Self.isUnauthenticated($0) }
        await #expect { try await devices.authenticate(key: till.key, origin: RequestOrigin()) } throws: { Self.isUnauthenticated($0) }
        #expect(try await devices.list(by: fixture.owner).map(\.revokedAt) == [clock.now])
    }

    @Test("a sale under one idempotency key books once — retried, five raced at once, or the key reused for another sale — and earns once",
          arguments: TestDatabases.engines)
    func idempotentSale(engine: Engine) async throws {
        let clock = SteppingClock(PointsTests.start)
        let fixture = try await LoyaltyFixture.make(engine, clock: clock, rate: 2)
        let ayse = try await Self.customer(fixture, "Ayşe Yılmaz", phone: "0532 111 22 33")
        let till = try await Self.till(fixture)
        let pos = fixture.loyalty.pos
        let session = try await fixture.loyalty.devices.authenticate(key: till.key, origin: RequestOrigin())
        let sale = PosSaleInput(customerId: ayse.id, amount: Money(minorUnits: 12_599), receipt: "F-0001")
        let outcomes = try await withThrowingTaskGroup(of: PosSaleOutcome.self) { group in
            for _ in 0..<5 { group.addTask { try await pos.sell(sale, idempotencyKey: "sale-0001", session: session) } }
            return try await group.reduce(into: [PosSaleOutcome]()) { $0.append($1) }
        }
        #expect(Set(outcomes.map(\.sale.id)).count == 1 && outcomes.filter { !$0.replayed }.count == 1, "\(outcomes.map(\.replayed))")
        let booked = outcomes[0].sale
        #expect(outcomes.allSatisfy { $0.sale == booked })
        #expect(booked.pointsEarned == 250 && booked.points == 250 && booked.total == Money(minorUnits: 12_599) && booked.receipt == "F-0001")
        clock.advance(days: 0.001)
        let retry = try await pos.sell(sale, idempotencyKey: "sale-0001", session: session)
        #expect(retry.replayed && retry.sale == booked)
        #expect(try await fixture.points(ayse).points == 250, "earned once")
        #expect(try await Self.salesBooked(fixture) == 1)

        await #expect { try await pos.sell(PosSaleInput(customerId: ayse.id, amount: Money(minorUnits: 99_00)), idempotencyKey: "sale-0001", session: session) }
            throws: { ($0 as? DomainError)?.code == .idempotencyKeyReused }
        for key in [nil, "", "boşluk var", String(repeating: "k", count: 256)] {
            await #expect { try await pos.sell(sale, idempotencyKey: key, session: session) } throws: { ($0 as? DomainError)?.code == .invalidParameter }
        }
        await #expect { try await pos.sell(PosSaleInput(customerId: ayse.id, amount: Money(minorUnits: 0)), idempotencyKey: "k2", session: session) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "amount" }
        await #expect { try await pos.sell(PosSaleInput(customerId: UUID(), amount: 1_000), idempotencyKey: "k3", session: session) }
            throws: { ($0 as? DomainError)?.code == .unknownCustomer }
        #expect(try await Self.salesBooked(fixture) == 1, "a refused sale leaves no claim behind")

        // A coupon comes off the basket; the points are earned on what was paid; the coupon is then used.
        let coupon = try await fixture.loyalty.coupons.issue(CouponBatchInput(count: 1, kind: "percent", value: 10,
                                                                              validUntil: clock.now.addingTimeInterval(86_400)), by: fixture.owner).coupons[0]
        let withCoupon = try await pos.sell(PosSaleInput(customerId: ayse.id, amount: Money(lira: 200), coupon: coupon.code), idempotencyKey: "sale-0002",
                                            session: session)
        #expect(withCoupon.sale.discount == Money(lira: 20) && withCoupon.sale.total == Money(lira: 180) && withCoupon.sale.pointsEarned == 360)
        #expect(withCoupon.sale.points == 610)
        #expect(try await fixture.loyalty.coupons.get(coupon.code, by: fixture.owner).status == .redeemed)
        await #expect { try await pos.sell(PosSaleInput(amount: Money(lira: 200), coupon: coupon.code), idempotencyKey: "sale-0003", session: session) }
            throws: { ($0 as? DomainError)?.code == .conflict }
        let anonymous = try await pos.sell(PosSaleInput(amount: Money(lira: 15)), idempotencyKey: "sale-0004", session: session)
        #expect(anonymous.sale.pointsEarned == 0 && anonymous.sale.points == nil && anonymous.sale.customerId == nil)
        #expect(try await Self.salesBooked(fixture) == 3)

        _ = try await fixture.loyalty.devices.revoke(till.device.id, by: fixture.owner)
        await #expect { try await pos.sell(sale, idempotencyKey: "sale-0005", session: session) } throws: { Self.isUnauthenticated($0) }
    }

    static func salesBooked(_ fixture: LoyaltyFixture) async throws -> Int {
        let tenantID = fixture.tenant.tenant.id
        return try await fixture.kernel.database.read(.tenant(tenantID)) { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM pos_sales WHERE tenant_id = \(bind: tenantID)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    @Test("devices are for the owner and branch managers (their own branch); the name and branch are checked", arguments: [Engine.sqlite])
    func management(engine: Engine) async throws {
        let fixture = try await LoyaltyFixture.make(engine, clock: SteppingClock(PointsTests.start))
        let (desk, _) = try await fixture.tenant.addStaff(fixture.kernel, role: .frontDesk)
        let (manager, branch) = try await fixture.tenant.addStaff(fixture.kernel, role: .branchManager)
        let devices = fixture.loyalty.devices
        await #expect { try await devices.add(PosDeviceInput(name: "Kasa", branchId: fixture.tenant.branch.id), by: fixture.tenant.principal(desk)) }
            throws: { ($0 as? DomainError)?.code == .forbidden }
        let managers = fixture.tenant.principal(manager)
        let own = try await devices.add(PosDeviceInput(name: "Şube kasası"), by: managers)
        #expect(own.device.branchId == branch.id)
        await #expect { try await devices.add(PosDeviceInput(name: "Kasa", branchId: fixture.tenant.branch.id), by: managers) }
            throws: { ($0 as? DomainError)?.fields.first?.field == "branchId" }
        let main = try await Self.till(fixture, name: "Merkez kasa")
        #expect(try await devices.list(by: managers).map(\.id) == [own.device.id])
        #expect(Set(try await devices.list(by: fixture.owner).map(\.id)) == [own.device.id, main.device.id])
        await #expect { try await devices.revoke(main.device.id, by: managers) } throws: { ($0 as? DomainError)?.code == .notFound }
        for input in [PosDeviceInput(name: " ", branchId: fixture.tenant.branch.id), PosDeviceInput(name: "Kasa"),
                      PosDeviceInput(name: "Kasa", branchId: UUID()), PosDeviceInput(name: String(repeating: "k", count: 81), branchId: fixture.tenant.branch.id)] {
            await #expect { try await devices.add(input, by: fixture.owner) } throws: { ($0 as? DomainError)?.fields.isEmpty == false }
        }
    }
}
