import Contracts

/// What a tenant's user may do. The SaaS operator is outside tenants and has no role here.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Sees and manages everything of the tenant: all branches, users, settings.
    case owner
    /// Runs one branch: its customers and its front-desk and courier staff.
    case branchManager = "branch_manager"
    /// Takes orders and answers calls at one branch.
    case frontDesk = "front_desk"
    /// Picks up and delivers for one branch; reads the customers of its runs.
    case courier
    /// Reads every branch's customers and accounts; changes nothing at the front desk.
    case accountant

    /// The role in an English sentence: "the owner", "a branch manager".
    public var withArticle: String {
        switch self {
        case .owner: "the owner"
        case .branchManager: "a branch manager"
        case .frontDesk: "the front desk"
        case .courier: "a courier"
        case .accountant: "an accountant"
        }
    }

    /// Roles that see only their own branch's rows.
    public var isBranchScoped: Bool {
        switch self {
        case .branchManager, .frontDesk, .courier: true
        case .owner, .accountant: false
        }
    }

    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .readCustomers: true
        case .writeCustomers: self == .owner || self == .branchManager || self == .frontDesk
        case .deleteCustomers: self == .owner || self == .branchManager
        case .manageUsers: self == .owner || self == .branchManager
        case .manageTenant: self == .owner
        case .readAudit: self == .owner || self == .accountant || self == .branchManager
        case .readOrders: true
        case .writeOrders: self == .owner || self == .branchManager || self == .frontDesk
        case .trackItems: self != .accountant
        case .manageCatalog: self == .owner
        }
    }

    /// The roles a user of this role may give to others.
    public var assignableRoles: Set<Role> {
        switch self {
        case .owner: Set(Role.allCases)
        case .branchManager: [.frontDesk, .courier]
        case .frontDesk, .courier, .accountant: []
        }
    }

    static func parse(_ text: String, field: String = "role") throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw DomainError.invalid(field, .unknownRole, "Unknown role '\(text.prefix(40))'; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return role
    }
}

/// Actions a role is checked for.
public enum Permission: Sendable {
    case readCustomers, writeCustomers, deleteCustomers
    case manageUsers, manageTenant, readAudit
    case readOrders, writeOrders, trackItems, manageCatalog
}
