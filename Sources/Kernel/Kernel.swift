import Contracts
import Foundation
import Logging
import Queue
import Storage

/// Everything the kernel offers, built once per process from its dependencies and handed to the
/// HTTP layer and the command line. No globals: two kernels (as in tests) never share state.
public struct Kernel: Sendable {
    public let database: any Database
    public let registry: ModuleRegistry
    public let settings: KernelSettings

    public let tenants: TenantService
    public let auth: AuthService
    public let users: UserService
    public let branches: BranchService
    public let customerTypes: CustomerTypeService
    public let customers: CustomerService
    public let audit: AuditService
    public let orders: OrderService
    public let tracking: ItemTracking
    public let sector: SectorService
    public let settingsService: SettingsService
    public let statistics: SectorStatistics
    public let branchFigures: BranchFigures
    public let board: ItemBoard
    /// The job queue on this database.
    public let queue: JobQueue
    public let jobs: JobAdministration
    public let sessionPruning: SessionPruning
    /// The feature modules' own migration lines, applied after the kernel's and the sectors'.
    let featureMigrations: [Migration]

    /// `subscribers` turn order events into work in the same transaction, `settingsCatalog` holds
    /// the settings declared besides the sectors', `featureMigrations` the feature modules' tables
    /// (all three the feature modules' own).
    public init(database: any Database, registry: ModuleRegistry, settings: KernelSettings = KernelSettings(),
                subscribers: [any OrderEventSubscriber] = [], settingsCatalog: SettingsCatalog = .sectorsOnly,
                featureMigrations: [Migration] = []) {
        self.featureMigrations = featureMigrations
        self.database = database
        self.registry = registry
        self.settings = settings
        let hasher = PasswordHasher(cost: settings.bcryptCost, threads: settings.passwordHashThreads)
        let policy = PasswordPolicy()
        let clock = settings.clock
        tenants = TenantService(database: database, registry: registry, hasher: hasher, passwordPolicy: policy, clock: clock)
        let throttle = LoginThrottle(policy: settings.loginThrottle, database: database)
        auth = AuthService(
            database: database, hasher: hasher, throttle: throttle,
            clock: clock, tokenLifetime: settings.tokenLifetime, sleep: settings.sleep, cache: PrincipalCache()
        )
        users = UserService(database: database, hasher: hasher, passwordPolicy: policy, clock: clock, throttle: throttle, sleep: settings.sleep)
        branches = BranchService(database: database, clock: clock)
        customerTypes = CustomerTypeService(database: database, clock: clock)
        customers = CustomerService(database: database, clock: clock)
        audit = AuditService(database: database)
        let queue = JobQueue.on(database, logger: settings.logger)
        let events = EventBus(subscribers: subscribers, queue: queue)
        orders = OrderService(database: database, registry: registry, clock: clock, events: events)
        tracking = ItemTracking(database: database, registry: registry, clock: clock, events: events)
        sector = SectorService(database: database, registry: registry, clock: clock)
        settingsService = SettingsService(database: database, registry: registry, catalog: settingsCatalog, secrets: settings.secrets, clock: clock)
        statistics = SectorStatistics(database: database, registry: registry)
        branchFigures = BranchFigures(database: database, registry: registry, clock: clock)
        board = ItemBoard(database: database, registry: registry)
        self.queue = queue
        sessionPruning = SessionPruning(database: database, clock: clock, throttleWindow: settings.loginThrottle.window)
        jobs = JobAdministration(queue: queue, database: database, clock: clock)
    }

    /// Throws unless the database answers (readiness probes).
    public func checkDatabase() async throws {
        try await database.checkReachable()
    }

    /// `sqlite` or `postgres`.
    public var engineName: String { database.engine.rawValue }

    /// The client's error for a storage failure that input can cause (a duplicate of a unique
    /// value), nil for one that is the server's fault.
    public static func domainError(forStorageFailure error: any Error) -> DomainError? {
        ConstraintViolation.isUnique(error) ? DomainError(.conflict, "This conflicts with a record that exists already.") : nil
    }

    /// Brings the schema up to date: the queue's migrations, the kernel's, then every module's; then
    /// checks that row-level security guards every tenant table.
    @discardableResult
    public func migrate(logger: Logger) async throws -> [String] {
        let applied = try await Migrator(database: database, logger: logger).migrate(QueueMigrations.all + registry.migrations + featureMigrations)
        try await RowSecurityCheck.verify(database)
        return applied
    }
}

/// Tunables of the kernel, with production defaults.
public struct KernelSettings: Sendable {
    /// bcrypt work factor (`CRM_BCRYPT_COST`).
    public var bcryptCost: UInt8 = 12
    /// Threads that hash passwords, and so the most sign-ins checked at once.
    public var passwordHashThreads = 2
    /// How long a sign-in lasts (`CRM_TOKEN_TTL_HOURS`).
    public var tokenLifetime: Duration = .seconds(12 * 3600)
    public var loginThrottle = LoginThrottlePolicy()
    public var clock = Clock.system
    /// How throttled sign-ins wait; tests record instead of sleeping.
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    public var logger = Logger(label: "crm")
    /// Seals secret settings (`CRM_SECRET_KEY`); without it, secrets cannot be stored.
    public var secrets: SecretBox?

    public init() {}
}
