import Foundation

/// The rows a caller may reach: its tenant, and for branch-scoped roles its branch. The records
/// types (customers, orders) turn it into their own SQL filters.
struct RowScope {
    let tenantID: UUID
    /// Set for branch-scoped roles: rows of other branches do not exist for them.
    let branchID: UUID?
    /// Set for couriers: only the orders of their own runs exist for them.
    let courierID: UUID?

    init(_ principal: Principal) {
        tenantID = principal.tenantID
        branchID = principal.confinedBranch
        courierID = principal.role == .courier ? principal.userID : nil
    }

    /// The whole tenant: for reading back what the caller just wrote, even where it now lies
    /// outside the caller's branch (a card an owner just moved to another branch).
    init(wholeTenant tenantID: UUID) {
        self.tenantID = tenantID
        branchID = nil
        courierID = nil
    }
}
