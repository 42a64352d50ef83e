import Accounts
import CarWash
import Carpet
import Contracts
import DryCleaning
import Invoicing
import Kernel
import Loyalty
import Notify
import RetailLoyalty
import ShoeShine
import Tailoring

/// The sector modules this executable ships with. Adding a sector: a folder in `Plugins/`, a
/// dependency in Package.swift, and one line here.
let sectorModules: [any SectorModule] = [
    DryCleaningModule(),
    CarpetModule(),
    ShoeShineModule(),
    TailoringModule(),
    CarWashModule(),
    RetailLoyaltyModule(),
]

/// Settings declared by the feature modules, besides the sectors'.
let settingDeclarations: [SettingsDeclaration] = [NotifyModule.settings, AccountsModule.settings, InvoicingModule.settings,
                                                       LoyaltyModule.settings]

/// The feature modules' order-event subscribers and tables.
func featureSubscribers(_ config: AppConfig) -> [any OrderEventSubscriber] {
    [NotifyModule.subscriber(config.notify), AccountsModule.subscriber, InvoicingModule.subscriber, LoyaltyModule.subscriber]
}

let featureMigrations = NotifyModule.migrations + AccountsModule.migrations + InvoicingModule.migrations + LoyaltyModule.migrations
