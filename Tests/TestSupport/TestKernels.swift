import CarWash
import Carpet
import Contracts
import DryCleaning
import Foundation
import Accounts
import Invoicing
import Kernel
import Loyalty
import Notify
import RetailLoyalty
import ShoeShine
import Storage
import Tailoring

/// Kernels for tests: real databases, the shipped sector modules, cheap bcrypt.
public enum TestKernels {
    public static let modules: [any SectorModule] = [
        DryCleaningModule(), CarpetModule(), ShoeShineModule(), TailoringModule(), CarWashModule(), RetailLoyaltyModule(),
    ]

    public static let registry = try! ModuleRegistry(modules)

    /// The feature modules' tables, in every test database as in production.
    public static let featureMigrations = NotifyModule.migrations + AccountsModule.migrations + InvoicingModule.migrations
        + LoyaltyModule.migrations

    /// Settings for tests: bcrypt at its cheapest cost, throttle waits recorded by the caller's `sleep`.
    public static func settings(clock: Clock = .system, sleep: @escaping @Sendable (Duration) async throws -> Void = { _ in }) -> KernelSettings {
        var settings = KernelSettings()
        settings.bcryptCost = 4
        settings.clock = clock
        settings.sleep = sleep
        return settings
    }

    public static func make(
        _ engine: Engine, settings: KernelSettings = TestKernels.settings(), registry: ModuleRegistry = TestKernels.registry,
        subscribers: [any OrderEventSubscriber] = [], settingsCatalog: SettingsCatalog = .sectorsOnly
    ) async throws -> Kernel {
        Kernel(database: try await TestDatabases.migrated(engine, registry: registry), registry: registry, settings: settings,
               subscribers: subscribers, settingsCatalog: settingsCatalog, featureMigrations: featureMigrations)
    }
}

/// A tenant made for one test, with a unique slug, its owner and first branch.
public struct TenantFixture: Sendable {
    public let tenant: Tenant
    public let branch: Branch
    public let owner: User
    public static let ownerPassword = "Kuru-Temizleme-2026!"

    public var ownerPrincipal: Principal {
        principal(owner)
    }

    /// A principal for one of this tenant's users, as authentication would make it.
    public func principal(_ user: User) -> Principal {
        Principal(tenantID: tenant.id, sector: tenant.sector, userID: user.id, email: user.email, name: user.name, role: user.role,
                  branchID: user.branchId, tokenID: nil, origin: RequestOrigin(requestID: "test", address: "127.0.0.1"))
    }

    /// A customer of this tenant at its first branch.
    public func customer(_ kernel: Kernel, name: String = "Ayşe Yılmaz", type: String? = nil) async throws -> Customer {
        try await kernel.customers.create(
            CustomerDraft(name: name, phones: [PhoneInput(number: "0532 123 45 67")], customerType: type), by: ownerPrincipal
        )
    }

    public static func make(_ kernel: Kernel, sector: String = "drycleaning") async throws -> TenantFixture {
        let slug = "t-" + UUID().uuidString.prefix(8).lowercased()
        let created = try await kernel.tenants.create(
            NewTenant(slug: slug, name: "Test \(slug)", sector: sector,
                      owner: NewUser(email: "owner@\(slug).example", name: "Owner \(slug)", role: "owner", password: ownerPassword)),
            by: .commandLine
        )
        return TenantFixture(tenant: created.tenant, branch: created.branch, owner: created.owner)
    }

    /// Adds a branch and a user of `role` working there.
    public func addStaff(_ kernel: Kernel, role: Role, branch: Branch? = nil) async throws -> (user: User, branch: Branch) {
        var branch = branch
        if branch == nil {
            let code = "B" + UUID().uuidString.prefix(6).replacingOccurrences(of: "-", with: "")
            branch = try await kernel.branches.create(NewBranch(code: code, name: "Branch \(code)"), by: ownerPrincipal)
        }
        let created = try await kernel.users.create(
            NewUser(email: "\(role.rawValue).\(UUID().uuidString.prefix(6).lowercased())@\(tenant.slug).example",
                    name: "Staff", role: role.rawValue, branchId: branch!.id, password: Self.ownerPassword),
            by: ownerPrincipal
        )
        return (created.user, branch!)
    }
}
