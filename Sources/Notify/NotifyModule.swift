import AsyncHTTPClient
import Contracts
import Foundation
import Kernel
import NIOCore

/// Where the providers are: their public addresses in production, local servers in tests.
public struct NotifyConfiguration: Sendable {
    /// `CRM_NETGSM_URL`.
    public var netgsmURL = "https://api.netgsm.com.tr"
    /// `CRM_WHATSAPP_URL`: the Graph API with its version.
    public var whatsAppURL = "https://graph.facebook.com/v23.0"
    /// Longest wait for a provider's answer.
    public var timeout: Duration = .seconds(10)
    /// The job queue messages go through.
    public var queue = "notifications"
    /// Extra certificate authorities trusted for SMTP relays (`CRM_SMTP_CA_FILE`).
    public var smtpTrustRoots: String?
    /// The server's public address, for links in messages (`CRM_PUBLIC_URL`).
    public var publicURL: String?
    /// SMTP relays on any port, not only mail ports (`CRM_SMTP_ANY_PORT`).
    public var smtpAnyPort = false
    /// SMTP relays at private, loopback or reserved addresses too (`CRM_SMTP_PRIVATE_HOSTS`).
    public var smtpPrivateHosts = false

    public init() {}
}

/// The notification module as a process composes it: templates checked at start-up, consent,
/// the message log, and the channels its worker sends through.
public struct NotifyModule: Sendable {
    public static let migrations = NotifyMigrations.all
    public static let settings = NotifySettings.declaration

    /// The order-event subscriber to register with the kernel.
    public static func subscriber(_ configuration: NotifyConfiguration = NotifyConfiguration()) -> NotifySubscriber {
        NotifySubscriber(queue: configuration.queue)
    }

    public let templates: TemplateBook
    public let consent: ConsentService
    public let messages: MessageService
    public let notifier: Notifier
    public let whatsAppWebhook: WhatsAppWebhook
    public let preview: MessagePreviews
    public let netgsmPolling: NetgsmPolling
    public let unsubscribe: UnsubscribeLinks
    public let appointments: AppointmentService
    public let templateOverrides: TemplateOverrides
    /// The queue message jobs go through.
    public let queue: String
    /// How long one message job may take: every channel tried once, each within the provider timeout.
    public let jobTimeout: Duration

    /// Throws when a sector's template names an unknown variable or does not parse.
    public init(kernel: Kernel, configuration: NotifyConfiguration = NotifyConfiguration(), http: HTTPClient = .shared) throws {
        templates = try TemplateBook(registry: kernel.registry)
        consent = ConsentService(database: kernel.database, customers: kernel.customers, clock: kernel.settings.clock)
        messages = MessageService(database: kernel.database, customers: kernel.customers)
        let transport = HTTPTransport(client: http, timeout: .nanoseconds(Int64(configuration.timeout.components.seconds) * 1_000_000_000))
        let netgsm = NetgsmSMS(transport: transport, baseURL: configuration.netgsmURL)
        queue = configuration.queue
        jobTimeout = configuration.timeout * 4 + .seconds(10)
        netgsmPolling = NetgsmPolling(database: kernel.database, settings: kernel.settingsService, client: netgsm, queue: kernel.queue,
                                      jobQueue: configuration.queue,
                                      clock: kernel.settings.clock)
        unsubscribe = UnsubscribeLinks(database: kernel.database, key: kernel.settings.secrets?.derivedKey(for: "notify.unsubscribe"),
                                       publicURL: configuration.publicURL, clock: kernel.settings.clock)
        notifier = Notifier(kernel: kernel, templates: templates, unsubscribe: unsubscribe, channels: [
            netgsm,
            WhatsAppCloud(transport: transport, baseURL: configuration.whatsAppURL),
            SMTPMail(extraTrustRoots: configuration.smtpTrustRoots, timeout: configuration.timeout * 3, allowAnyPort: configuration.smtpAnyPort,
                     allowPrivateHosts: configuration.smtpPrivateHosts),
        ])
        appointments = AppointmentService(database: kernel.database, settings: kernel.settingsService, tenants: kernel.tenants, queue: kernel.queue,
                                          jobQueue: configuration.queue, clock: kernel.settings.clock)
        preview = MessagePreviews(notices: OrderNotices(database: kernel.database), registry: kernel.registry, templates: templates,
                                  database: kernel.database)
        templateOverrides = TemplateOverrides(database: kernel.database, registry: kernel.registry, templates: templates, clock: kernel.settings.clock)
        whatsAppWebhook = WhatsAppWebhook(database: kernel.database, settings: kernel.settingsService, queue: kernel.queue,
                                          jobQueue: configuration.queue, clock: kernel.settings.clock)
    }
}
