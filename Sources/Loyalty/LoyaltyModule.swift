import Contracts
import Foundation
import Kernel
import Storage

/// The loyalty module as a process composes it: points by lots, earned on sales through its
/// order-event subscriber, redeemed at the counter, lapsing by the daily run, which also plans the
/// reminders before points lapse; tiers; stamp cards; coupons; campaigns, run by the queue; the tills (POS devices)
/// and what they read and book.
public struct LoyaltyModule: Sendable {
    public static let migrations = LoyaltyMigrations.all
    public static let settings = LoyaltySettings.declaration
    public static let subscriber = PointsSubscriber()

    public let points: PointsService
    public let coupons: CouponService
    public let daily: LoyaltyDailyJobs
    public let devices: PosDevices
    public let pos: PosService
    public let campaigns: CampaignService
    public let stamps: StampService
    public let tiers: TierService
    public let campaignRuns: CampaignRuns

    /// `queue` is where the daily runs and campaign runs go (`reminders`), `messageQueue` their
    /// messages (`notifications`).
    public init(kernel: Kernel, queue: String = "reminders", messageQueue: String = "notifications") {
        points = PointsService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        coupons = CouponService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        devices = PosDevices(database: kernel.database, clock: kernel.settings.clock, cache: SessionCache())
        pos = PosService(database: kernel.database, clock: kernel.settings.clock, devices: devices)
        tiers = TierService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        stamps = StampService(database: kernel.database, customers: kernel.customers, sectors: kernel.sector, clock: kernel.settings.clock)
        campaigns = CampaignService(database: kernel.database, clock: kernel.settings.clock, jobs: kernel.queue, queue: queue, messageQueue: messageQueue)
        campaignRuns = CampaignRuns(database: kernel.database, clock: kernel.settings.clock, jobs: kernel.queue, queue: queue, messageQueue: messageQueue)
        daily = LoyaltyDailyJobs(database: kernel.database, clock: kernel.settings.clock, queue: queue, messageQueue: messageQueue, jobs: kernel.queue)
    }
}
