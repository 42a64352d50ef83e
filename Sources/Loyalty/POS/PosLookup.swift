import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// How a till names the customer at the counter: exactly one of these.
public struct PosIdentification: Sendable {
    public var phone: String?
    /// The customer's code (`C00042`), as printed on their card.
    public var code: String?
    /// A coupon of theirs.
    public var coupon: String?

    public init(phone: String? = nil, code: String? = nil, coupon: String? = nil) {
        self.phone = phone
        self.code = code
        self.coupon = coupon
    }
}

/// A customer as a till sees them: who they are, their usable points, the coupons they may use now
/// and their stamps.
public struct PosCustomer: Sendable, Codable, Equatable {
    public struct UsableCoupon: Sendable, Codable, Equatable {
        public let code: String
        public let kind: Coupon.Kind
        public let value: Int
        public let minimumBasket: Money?
        public let validUntil: Date
    }

    public let id: UUID
    public let code: String
    public let name: String
    /// "Ahmet Bey", "Ayşe Hanım", when the card has it.
    public let salutation: String?
    /// What the lots that have not lapsed hold.
    public let points: Int
    public let coupons: [UsableCoupon]
    /// Their stamps on each of the tenant's active stamp cards.
    public let stamps: [CustomerStamps]
    /// The tier they hold (none when the tenant has no ladder, or below its first rung).
    public let tier: HeldTier?

    public struct HeldTier: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
    }
}

/// The customers a till's identification matched (a phone may be shared by a household).
public struct PosLookup: Sendable, Codable, Equatable {
    public let items: [PosCustomer]
}

/// The till's reads: one statement for the common answer (a customer with no coupon, a tenant
/// without stamp cards), which also
/// reads the tenant's revocation counter so that a cached key is confirmed without a statement of its own.
public struct PosService: Sendable {
    let database: any Database
    let clock: KernelClock
    let devices: PosDevices

    public static let maximumMatches = 5
    public static let listedCoupons = 20

    /// The customers `identification` names, with points and usable coupons; 404 when none.
    public func lookup(_ identification: PosIdentification, key: String, session: PosDevices.DeviceSession) async throws -> PosLookup {
        let match = try Self.match(identification)
        let now = clock.now()
        var session = session
        for _ in 0..<2 {
            let tenantID = session.device.tenantID
            let (epoch, rows) = try await read(match, tenantID: tenantID, now: now)
            guard session.confirmed(byEpoch: epoch) else {
                session = try await devices.recheck(session, key: key)
                continue
            }
            guard !rows.isEmpty else { throw DomainError.notFound("No customer matches; the customer") }
            var items: [PosCustomer] = []
            for row in rows { items.append(try await customer(row, tenantID: tenantID, now: now)) }
            return PosLookup(items: items)
        }
        throw PosDevices.unauthenticated
    }

    enum Match {
        case phone(String), code(String), customer(couponCode: String)
    }

    static func match(_ identification: PosIdentification) throws -> Match {
        let given = [identification.phone, identification.code, identification.coupon].compactMap { $0 }
        guard given.count == 1 else {
            throw DomainError(.invalidParameter, "Name the customer by exactly one of phone, code and coupon.")
        }
        if let phone = identification.phone {
            guard phone.unicodeScalars.count <= 40 else { throw DomainError.invalid("phone", .invalidPhone, "phone is at most 40 characters.") }
            do { return .phone(try PhoneNumber(parsing: phone).e164) } catch let error as DomainError {
                throw DomainError.invalid("phone", .invalidPhone, error.message)
            }
        }
        if let code = identification.code {
            guard (1...40).contains(code.unicodeScalars.count) else { throw DomainError.invalid("code", .invalidParameter, "code is 1 to 40 characters.") }
            return .code(code.uppercased(with: Locale(identifier: "tr_TR")))
        }
        guard (identification.coupon ?? "").unicodeScalars.count <= 40 else {
            throw DomainError.invalid("coupon", .invalidParameter, "coupon is at most 40 characters.")
        }
        guard let coupon = CouponCode.normalized(identification.coupon ?? "") else {
            throw DomainError(.notFound, "No such coupon: check the code (a character may be mistyped).")
        }
        return .customer(couponCode: coupon)
    }

    /// The matching customers with their points and count of usable coupons, and the tenant's
    /// revocation counter, in one statement.
    private func read(_ match: Match, tenantID: UUID, now: Date) async throws -> (epoch: Int64, rows: [any SQLRow]) {
        let source: SQLQueryString
        switch match {
        case .phone(let number):
            source = """
                customer_phones p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
                WHERE p.tenant_id = \(bind: tenantID) AND p.number = \(bind: number)
                """
        case .code(let code):
            source = "customers c WHERE c.tenant_id = \(bind: tenantID) AND c.code = \(bind: code)"
        case .customer(let couponCode):
            source = """
                loyalty_coupons k JOIN customers c ON c.tenant_id = k.tenant_id AND c.id = k.customer_id
                WHERE k.tenant_id = \(bind: tenantID) AND k.code = \(bind: couponCode)
                """
        }
        let rows = try await database.rows(.tenant(tenantID), """
            SELECT c.id, c.code, c.name, c.salutation,
                   (SELECT COALESCE(MAX(e.epoch), 0) FROM auth_epochs e WHERE e.tenant_id = c.tenant_id) AS epoch,
                   (SELECT CAST(COALESCE(SUM(\(unsafeRaw: PointsStore.lotRemaining)), 0) AS BIGINT) FROM loyalty_entries l
                    WHERE l.tenant_id = c.tenant_id AND l.customer_id = c.id AND l.lot_id IS NULL AND l.expires_at > \(bind: now)) AS points,
                   (SELECT COUNT(*) FROM loyalty_coupons u
                    WHERE u.tenant_id = c.tenant_id AND u.customer_id = c.id AND u.status = 'issued'
                      AND u.valid_from <= \(bind: now) AND u.valid_until > \(bind: now)) AS coupons,
                   (SELECT COUNT(*) FROM loyalty_stamp_cards k WHERE k.tenant_id = c.tenant_id AND k.active = \(bind: true)) AS cards,
                   \(TierStore.tierColumns)
            FROM \(source) AND c.deleted_at IS NULL
            ORDER BY c.seq \(SQLLimit(Self.maximumMatches))
            """)
        if let first = rows.first { return (try first.decode(column: "epoch", as: Int64.self), rows) }
        // Nothing matched: the counter still has to be read before "none" is answered.
        return (try await AuthService.revocationEpoch(of: tenantID, in: database), [])
    }

    private func customer(_ row: any SQLRow, tenantID: UUID, now: Date) async throws -> PosCustomer {
        let id = try row.decode(column: "id", as: UUID.self)
        var coupons: [PosCustomer.UsableCoupon] = []
        if try row.decode(column: "coupons", as: Int.self) > 0 {
            coupons = try await database.read(.tenant(tenantID)) { sql in
                try await CouponStore.usable(customerID: id, tenantID: tenantID, at: now, limit: Self.listedCoupons, sql: sql)
            }.map { PosCustomer.UsableCoupon(code: $0.code, kind: $0.kind, value: $0.value, minimumBasket: $0.minimumBasket, validUntil: $0.validUntil) }
        }
        var stamps: [CustomerStamps] = []
        if try row.decode(column: "cards", as: Int.self) > 0 {
            stamps = try await database.read(.tenant(tenantID)) { sql in try await StampStore.stamps(customerID: id, tenantID: tenantID, sql: sql) }
        }
        return PosCustomer(id: id, code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                           salutation: try row.decode(column: "salutation", as: String?.self), points: try row.decode(column: "points", as: Int.self),
                           coupons: coupons, stamps: stamps,
                           tier: try row.decode(column: "tier_code", as: String?.self).map {
                               PosCustomer.HeldTier(code: $0, name: try row.decode(column: "tier_name", as: String.self))
                           })
    }
}
