import Contracts
import Foundation
import Kernel

/// One message handed to a provider.
public struct OutgoingMessage: Sendable, Equatable {
    /// Our id of the message (the row in the message log); providers that take a reference get it.
    public let id: UUID
    public let purpose: MessagePurpose
    /// E.164 phone number or e-mail address.
    public let recipient: String
    public let text: String
    public let subject: String?
    public let html: String?
    /// For WhatsApp: the approved template and its body parameters.
    public let whatsApp: (name: String, language: String, parameters: [String])?
    /// For WhatsApp: the customer wrote to us within the last 24 hours, so free text may go out.
    public var sessionOpen = false
    /// For commercial e-mail: the link that ends it (List-Unsubscribe).
    public var unsubscribe: String?
    /// Files that go with an e-mail (a statement); other channels carry none.
    public var attachments: [MailAttachment] = []

    public init(id: UUID, purpose: MessagePurpose, recipient: String, text: String, subject: String?, html: String?,
                whatsApp: (name: String, language: String, parameters: [String])?) {
        self.id = id
        self.purpose = purpose
        self.recipient = recipient
        self.text = text
        self.subject = subject
        self.html = html
        self.whatsApp = whatsApp
    }

    public static func == (lhs: OutgoingMessage, rhs: OutgoingMessage) -> Bool {
        lhs.id == rhs.id && lhs.recipient == rhs.recipient && lhs.text == rhs.text && lhs.subject == rhs.subject && lhs.html == rhs.html
            && lhs.whatsApp?.name == rhs.whatsApp?.name && lhs.whatsApp?.parameters == rhs.whatsApp?.parameters
            && lhs.attachments == rhs.attachments
    }
}

/// A file sent with an e-mail.
public struct MailAttachment: Sendable, Equatable {
    /// Attachments of one message together are at most this many bytes (relays commonly take 10–25 MB after base64).
    public static let maximumBytes = 5_000_000

    public let filename: String
    public let contentType: String
    public let data: Data

    /// `filename` keeps letters, digits, dots, dashes and underscores (others become `_`), so it needs no quoting.
    public init(filename: String, contentType: String, data: Data) {
        self.filename = String(filename.unicodeScalars.prefix(100).map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        })
        self.contentType = contentType
        self.data = data
    }
}

/// The provider took the message.
public struct Accepted: Sendable, Hashable {
    /// The provider's id of it, which its delivery reports name.
    public let providerID: String?
    /// What the provider bills it as (SMS parts; 1 for a WhatsApp message or an e-mail).
    public let costUnits: Int
}

/// Why a provider did not take a message, and what to do about it.
public enum SendFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Worth trying again soon (a server error, a timeout, a rate limit).
    case retry(String, after: Duration?)
    /// Will never work as it is (a wrong number, a refused sender, a missing template): try the next channel.
    case permanent(String)
    /// The channel is not set up for the tenant (no account): try the next channel.
    case notConfigured(String)
    /// The provider answered "taken" in a form this server could not read: it most likely took
    /// the message, so it is recorded as unconfirmed and never sent again.
    case unconfirmed(String)

    public var description: String {
        switch self {
        case .retry(let reason, _), .permanent(let reason), .notConfigured(let reason), .unconfirmed(let reason): reason
        }
    }
}

/// A channel's account of one tenant, read from its settings.
public struct ChannelAccount: Sendable {
    public let texts: [String: String]
    public let secrets: [String: String]
    /// Every value of the tenant's notification settings (ports, optional texts).
    public let options: SectorSettings

    public init(texts: [String: String], secrets: [String: String], options: SectorSettings = SectorSettings(values: [:])) {
        self.texts = texts
        self.secrets = secrets
        self.options = options
    }

    /// The account `client` needs, from the tenant's settings (`options`: its text values);
    /// `SendFailure.notConfigured` names the first one missing.
    static func read(for client: any ChannelClient, options: SectorSettings, settings: SettingsService, tenantID: UUID) async throws -> ChannelAccount {
        var texts: [String: String] = [:]
        for key in client.accountTexts {
            guard let value = options.text(key), !value.isEmpty else { throw SendFailure.notConfigured("\(client.channel.rawValue) is not set up (\(key))") }
            texts[key] = value
        }
        var secrets: [String: String] = [:]
        for key in client.accountSecrets {
            guard let value = try await settings.secret(owner: NotifySettings.owner, key: key, tenantID: tenantID), !value.isEmpty else {
                throw SendFailure.notConfigured("\(client.channel.rawValue) is not set up (\(key))")
            }
            secrets[key] = value
        }
        for key in client.optionalAccountSecrets {
            if let value = try await settings.secret(owner: NotifySettings.owner, key: key, tenantID: tenantID), !value.isEmpty { secrets[key] = value }
        }
        return ChannelAccount(texts: texts, secrets: secrets, options: options)
    }

    func require(_ key: String) throws -> String {
        guard let value = texts[key] ?? secrets[key], !value.isEmpty else { throw SendFailure.notConfigured("\(key) is not set") }
        return value
    }
}

extension ChannelClient {
    public var optionalAccountSecrets: [String] { [] }

    /// Each message on its own, all at once.
    public func send(batch messages: [OutgoingMessage], account: ChannelAccount) async -> [Result<Accepted, SendFailure>] {
        await withTaskGroup(of: (Int, Result<Accepted, SendFailure>).self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask { (index, await Self.result { try await self.send(message, account: account) }) }
            }
            var results = [Result<Accepted, SendFailure>?](repeating: nil, count: messages.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }

    /// A send's outcome as a value. Any other error than `SendFailure` came after the message may
    /// have left (a dropped connection, a cancelled call): unconfirmed, never sent again.
    static func result(_ send: () async throws -> Accepted) async -> Result<Accepted, SendFailure> {
        do {
            return .success(try await send())
        } catch let failure as SendFailure {
            return .failure(failure)
        } catch {
            return .failure(.unconfirmed("the call to the provider ended unexpectedly: \(error)"))
        }
    }
}

/// A way to reach a customer: one provider's documented API behind one protocol.
public protocol ChannelClient: Sendable {
    var channel: MessageChannel { get }
    /// A stable provider name, stored with each message (`netgsm`, `whatsapp_cloud`, `smtp`).
    var provider: String { get }
    /// The settings keys of its account; secrets are read only when a message is sent.
    var accountTexts: [String] { get }
    var accountSecrets: [String] { get }
    /// Secrets used when set (an SMTP password, for a relay that needs none).
    var optionalAccountSecrets: [String] { get }
    /// Sends one message or throws `SendFailure`.
    func send(_ message: OutgoingMessage, account: ChannelAccount) async throws -> Accepted
    /// Sends many messages of one tenant, as few calls as the provider allows; one result each, in order.
    func send(batch messages: [OutgoingMessage], account: ChannelAccount) async -> [Result<Accepted, SendFailure>]
}
