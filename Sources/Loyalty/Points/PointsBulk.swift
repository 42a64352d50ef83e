import Contracts
import Foundation
import Kernel
import SQLKit
import Storage

/// Points loaded onto a list of customers (staff meal points, a goodwill gesture), each a lot of
/// its own, lapsing at `expiresAt` (the tenant's expiry months by default).
public struct PointsLoadInput: Sendable, Decodable {
    public var customerIds: [UUID]?
    public var points: Int?
    public var reason: String?
    public var expiresAt: Date?

    public init(customerIds: [UUID]?, points: Int?, reason: String?, expiresAt: Date? = nil) {
        self.customerIds = customerIds
        self.points = points
        self.reason = reason
        self.expiresAt = expiresAt
    }
}

/// Every usable point of a list of customers taken off (the end of a period).
public struct PointsRemovalInput: Sendable, Decodable {
    public var customerIds: [UUID]?
    public var reason: String?

    public init(customerIds: [UUID]?, reason: String?) {
        self.customerIds = customerIds
        self.reason = reason
    }
}

/// What a bulk load or removal did.
public struct PointsBulkResult: Sendable, Encodable, Equatable {
    /// Customers it touched.
    public let customers: Int
    /// Points loaded or removed, in all.
    public let points: Int
}

extension PointsService {
    public static let maximumBulkCustomers = 1_000
    public static let maximumLoad = 1_000_000

    /// Loads `points` onto each customer named, in one transaction: all of them or none.
    public func load(_ input: PointsLoadInput, by principal: Principal) async throws -> PointsBulkResult {
        try Self.requireManager(principal)
        var errors = FieldErrors()
        let ids = Self.customerList(input.customerIds, errors: &errors)
        if let points = input.points {
            if !(1...Self.maximumLoad).contains(points) { errors.add("points", .invalidValue, "points must be between 1 and \(Self.maximumLoad).") }
        } else {
            errors.add("points", .missingField, "points is required.")
        }
        let reason = errors.requiredText("reason", input.reason, maximum: Self.maximumReason)
        let now = clock.now()
        if let expiresAt = input.expiresAt, expiresAt <= now || expiresAt > now.addingTimeInterval(10 * 366 * 86_400) {
            errors.add("expiresAt", .invalidValue, "expiresAt must be in the future, within ten years.")
        }
        try errors.throwIfAny()
        let points = input.points ?? 0
        let tenantID = principal.tenantID
        try await requireVisible(input.customerIds ?? [], by: principal)
        let expiresAt: Date
        if let given = input.expiresAt {
            expiresAt = given
        } else {
            let months = try await database.read(.tenant(tenantID)) { sql in
                try await SettingsService.values(LoyaltySettings.declaration, tenantID: tenantID, sql: sql).integer("loyalty_points_expiry_months")
            }
            expiresAt = LocalCalendar.utc.adding(months: months, to: now)
        }
        return try await database.transaction(.tenant(tenantID)) { sql in
            for id in ids {
                try await PointsStore.lock(customerID: id, tenantID: tenantID, sql: sql)
                guard try await PointsStore.balance(customerID: id, tenantID: tenantID, sql: sql) + points <= PointsStore.maximumBalance else {
                    throw DomainError(.amountTooLarge, "A customer would hold more than \(PointsStore.maximumBalance) points.")
                }
                try await PointsStore.insert(PointsStore.NewEntry(customerID: id, kind: .load, points: points, expiresAt: expiresAt, reason: reason,
                                                                  occurredAt: now, recordedBy: "user:" + principal.userID.uuidString),
                                             tenantID: tenantID, at: now, sql: sql)
            }
            let result = PointsBulkResult(customers: ids.count, points: points * ids.count)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: principal.confinedBranch, actor: principal.actor, action: "loyalty.load",
                                      entity: "loyalty", entityID: nil, after: result, at: now)
            return result
        }
    }

    /// Takes off every usable point of each customer named, lot by lot, in one transaction.
    public func remove(_ input: PointsRemovalInput, by principal: Principal) async throws -> PointsBulkResult {
        try Self.requireManager(principal)
        var errors = FieldErrors()
        let ids = Self.customerList(input.customerIds, errors: &errors)
        let reason = errors.requiredText("reason", input.reason, maximum: Self.maximumReason)
        try errors.throwIfAny()
        let tenantID = principal.tenantID
        try await requireVisible(input.customerIds ?? [], by: principal)
        let now = clock.now()
        return try await database.transaction(.tenant(tenantID)) { sql in
            var removed = 0
            for id in ids {
                try await PointsStore.lock(customerID: id, tenantID: tenantID, sql: sql)
                for lot in try await PointsStore.lots(customerID: id, tenantID: tenantID, sql: sql) where lot.expiresAt > now {
                    try await PointsStore.insert(PointsStore.NewEntry(customerID: id, kind: .remove, points: -lot.remaining, lotID: lot.id,
                                                                      reason: reason, occurredAt: now, recordedBy: "user:" + principal.userID.uuidString),
                                                 tenantID: tenantID, at: now, sql: sql)
                    removed += lot.remaining
                }
            }
            let result = PointsBulkResult(customers: ids.count, points: removed)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: principal.confinedBranch, actor: principal.actor, action: "loyalty.remove",
                                      entity: "loyalty", entityID: nil, after: result, at: now)
            return result
        }
    }

    /// Loading and removing points is for the owner, accountants and branch managers.
    static func requireManager(_ principal: Principal) throws {
        try principal.require(oneOf: [.owner, .accountant, .branchManager], to: "load or remove points")
    }

    /// 1 to `maximumBulkCustomers` distinct ids, sorted.
    static func customerList(_ ids: [UUID]?, errors: inout FieldErrors) -> [UUID] {
        guard let ids else {
            errors.add("customerIds", .missingField, "customerIds is required.")
            return []
        }
        guard (1...maximumBulkCustomers).contains(ids.count) else {
            errors.add("customerIds", .invalidValue, "customerIds names 1 to \(maximumBulkCustomers) customers.")
            return []
        }
        // Distinct, in one order for everyone, so that two bulk calls lock customers in the same order.
        return Array(Set(ids)).sorted { $0.uuidString < $1.uuidString }
    }

    /// Every id is a customer the user may see, or 422 naming the first that is not.
    func requireVisible(_ ids: [UUID], by principal: Principal) async throws {
        try await Self.requireVisible(ids, customers: customers, by: principal)
    }

    static func requireVisible(_ ids: [UUID], customers: CustomerService, by principal: Principal) async throws {
        let visible = try await customers.cards(ids, by: principal)
        if let missing = ids.firstIndex(where: { visible[$0] == nil }) {
            throw DomainError.invalid("customerIds[\(missing)]", .invalidValue, "customerIds[\(missing)] is not a customer you may see.")
        }
    }
}
