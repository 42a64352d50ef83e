import Foundation
import HTTPAPI
import Kernel
import Logging
import Notify
import Queue
import Storage

/// Configuration of every `crm` command: `CRM_*` environment variables, overridden by flags.
/// A variable that is set but cannot be used stops the command with a message naming it; nothing
/// falls back silently.
struct AppConfig {
    var database: DatabaseLocation = .sqlite(path: DatabaseLocation.defaultSQLitePath)
    var databasePoolSize = 20
    var host = "127.0.0.1"
    var port = 8080
    var logLevel = Logger.Level.info
    var kernel = KernelSettings()
    var api = APISettings()
    /// Whether `crm serve` runs workers in its own process (nil: on SQLite yes, on PostgreSQL no).
    var embeddedWorkers: Bool?
    var embeddedQueues = "default:4,notifications:4,invoices:2,reminders:2"
    /// `crm serve` also serves health and metrics on this port.
    var metricsPort: Int?
    var notify = NotifyConfiguration()
    /// The front desk's cookies are `Secure` (the public address is https).
    var webSecureCookies = false

    var runsEmbeddedWorkers: Bool { embeddedWorkers ?? (database.engine == .sqlite) }

    /// Every variable read, with its meaning, for `docs/configuration.md` and `crm --help`.
    static let variables: [(name: String, meaning: String)] = [
        ("CRM_DATABASE_URL", "postgres://USER:PASSWORD@HOST:PORT/DB or sqlite:PATH (default sqlite:crm-data/crm.sqlite)"),
        ("CRM_DATABASE_POOL_SIZE", "largest number of PostgreSQL connections per process (default 20)"),
        ("CRM_HOST", "address to listen on (default 127.0.0.1)"),
        ("CRM_PORT", "port to listen on (default 8080; 0 picks a free one)"),
        ("CRM_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("CRM_BCRYPT_COST", "bcrypt work factor for passwords, 4–31 (default 12; below 10 only for tests)"),
        ("CRM_TOKEN_TTL_HOURS", "hours a sign-in lasts (default 12)"),
        ("CRM_MAX_BODY_BYTES", "largest request body accepted (default 1048576)"),
        ("CRM_TRUSTED_PROXIES", "addresses or CIDR ranges of the proxies whose X-Forwarded-For is believed, comma-separated (default none)"),
        ("CRM_METRICS_PORT", "crm serve: also serve /healthz, /readyz and /metrics on this port, for Prometheus (default none)"),
        ("CRM_METRICS_TOKEN", "bearer token that reads /metrics on the API port (default none: /metrics only on the metrics port)"),
        ("CRM_SECRET_KEY", "32 random bytes in base64 that encrypt secret settings (SMTP passwords, API keys); without it none can be stored"),
        ("CRM_NETGSM_URL", "base address of Netgsm's REST API (default https://api.netgsm.com.tr; tests point it at a local gateway)"),
        ("CRM_WHATSAPP_URL", "base address of the WhatsApp Cloud API with its version (default https://graph.facebook.com/v23.0)"),
        ("CRM_PROVIDER_TIMEOUT", "seconds a provider (SMS gateway, WhatsApp, SMTP relay) has to answer one call, 1–300 (default 10)"),
        ("CRM_SMTP_ANY_PORT", "tenants' SMTP relays may listen on any port, not only 25, 465, 587 and 2525 (default false)"),
        ("CRM_SMTP_PRIVATE_HOSTS", "tenants' SMTP relays may be at private, loopback or reserved addresses, such as a relay on the server's own network (default false: public addresses only)"),
        ("CRM_SMTP_CA_FILE", "PEM file of extra certificate authorities trusted for tenants' SMTP relays (default: the system's only)"),
        ("CRM_PUBLIC_URL", "the server's public address, for links in messages (unsubscribe); commercial e-mail needs it; when https, the front desk's cookies are Secure"),
        ("CRM_EMBEDDED_WORKERS", "crm serve also works job queues in-process (default: true on SQLite, false on PostgreSQL)"),
        ("CRM_EMBEDDED_QUEUES", "queues of the in-process workers (default default:4,notifications:4,invoices:2,reminders:2)"),
    ]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name) must be a whole number in \(range.lowerBound)…\(range.upperBound) (got '\(text)')")
            }
            return number
        }
        database = try DatabaseLocation.parse(value("CRM_DATABASE_URL"))
        databasePoolSize = try integer("CRM_DATABASE_POOL_SIZE", in: 1...500) ?? databasePoolSize
        host = value("CRM_HOST") ?? host
        port = try integer("CRM_PORT", in: 0...65535) ?? port
        if let level = value("CRM_LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("CRM_LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(level)')")
            }
            logLevel = parsed
        }
        if let cost = try integer("CRM_BCRYPT_COST", in: 4...31) { kernel.bcryptCost = UInt8(cost) }
        if let hours = try integer("CRM_TOKEN_TTL_HOURS", in: 1...720) { kernel.tokenLifetime = .seconds(hours * 3600) }
        api.maximumBodyBytes = try integer("CRM_MAX_BODY_BYTES", in: 1024...(64 << 20)) ?? api.maximumBodyBytes
        func flag(_ name: String) throws -> Bool? {
            guard let text = value(name) else { return nil }
            guard let flag = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][text.lowercased()] else {
                throw ConfigurationError("\(name) must be true or false (got '\(text)')")
            }
            return flag
        }
        if let proxies = value("CRM_TRUSTED_PROXIES") {
            do {
                api.trustedProxies = try TrustedProxies(parsing: proxies)
            } catch {
                throw ConfigurationError("CRM_TRUSTED_PROXIES: \(error)")
            }
        }
        metricsPort = try integer("CRM_METRICS_PORT", in: 1...65535)
        api.metricsToken = value("CRM_METRICS_TOKEN")
        if let key = value("CRM_SECRET_KEY") { kernel.secrets = try SecretBox(base64Key: key) }
        embeddedWorkers = try flag("CRM_EMBEDDED_WORKERS")
        if let url = value("CRM_NETGSM_URL") { notify.netgsmURL = try Self.providerURL(url, variable: "CRM_NETGSM_URL") }
        notify.smtpTrustRoots = value("CRM_SMTP_CA_FILE")
        notify.smtpAnyPort = try flag("CRM_SMTP_ANY_PORT") ?? false
        notify.smtpPrivateHosts = try flag("CRM_SMTP_PRIVATE_HOSTS") ?? false
        if let seconds = try integer("CRM_PROVIDER_TIMEOUT", in: 1...300) { notify.timeout = .seconds(seconds) }
        if let url = value("CRM_PUBLIC_URL") {
            notify.publicURL = try Self.providerURL(url, variable: "CRM_PUBLIC_URL")
            webSecureCookies = url.lowercased().hasPrefix("https://")
        }
        if let url = value("CRM_WHATSAPP_URL") { notify.whatsAppURL = try Self.providerURL(url, variable: "CRM_WHATSAPP_URL") }
        if let queues = value("CRM_EMBEDDED_QUEUES") {
            do {
                _ = try WorkerConfiguration.parseQueues(queues, concurrency: 4)
            } catch {
                throw ConfigurationError("CRM_EMBEDDED_QUEUES: \(error)")
            }
            embeddedQueues = queues
        }
    }

    /// Applies the flags common to every command.
    mutating func apply(_ options: CommonOptions) throws {
        if let url = options.databaseURL { database = try DatabaseLocation.parse(url) }
        if let level = options.logLevel {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            logLevel = parsed
        }
    }

    /// An http(s) base address without a trailing slash.
    static func providerURL(_ text: String, variable: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme, scheme == "http" || scheme == "https", url.host != nil else {
            throw ConfigurationError("\(variable) must be an http or https address (got '\(text.prefix(80))')")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}
