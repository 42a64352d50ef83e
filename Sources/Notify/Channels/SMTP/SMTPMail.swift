import Contracts
import Foundation
import Kernel
import NIOCore
import NIOSSL

/// E-mail through the tenant's SMTP relay (RFC 5321): EHLO; STARTTLS when the server offers it
/// (or TLS from the start on port 465); AUTH PLAIN, else LOGIN, only over TLS; `BODY=8BITMIME`
/// only when offered (base64 parts otherwise); dot-stuffed DATA. A 4xx reply is tried again
/// later, a 5xx one is not.
public struct SMTPMail: ChannelClient {
    public let channel = MessageChannel.email
    public let provider = "smtp"
    public let accountTexts = ["smtp_host", "smtp_from"]
    public let accountSecrets: [String] = []
    public let optionalAccountSecrets = ["smtp_password"]

    /// Extra certificate authorities to trust (a relay with a private CA; `CRM_SMTP_CA_FILE`).
    let extraTrustRoots: String?
    let timeout: Duration
    /// The name this server gives in EHLO.
    let heloName: String
    /// Mail ports only, unless the operator allows others (`CRM_SMTP_ANY_PORT`, for tests and
    /// unusual relays): a tenant's settings must not make the server talk to any service it reaches.
    let allowAnyPort: Bool
    static let ports: Set<Int> = [25, 465, 587, 2525]
    /// Relays at private, loopback or reserved addresses too (`CRM_SMTP_PRIVATE_HOSTS`); see `RelayAddress`.
    let allowPrivateHosts: Bool

    public init(extraTrustRoots: String?, timeout: Duration, allowAnyPort: Bool = false, allowPrivateHosts: Bool = false,
                heloName: String = "crm.localdomain") {
        self.extraTrustRoots = extraTrustRoots
        self.timeout = timeout
        self.allowAnyPort = allowAnyPort
        self.allowPrivateHosts = allowPrivateHosts
        self.heloName = heloName
    }

    public func send(_ message: OutgoingMessage, account: ChannelAccount) async throws -> Accepted {
        let host = try account.require("smtp_host")
        let from = try account.require("smtp_from")
        let port = account.options.integer("smtp_port")
        guard Self.ports.contains(port) || allowAnyPort else {
            throw SendFailure.permanent("SMTP port \(port) is not a mail port (25, 465, 587, 2525)")
        }
        let implicitTLS = account.options.text("smtp_security") == "implicit"
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        var mail = MailMessage(from: from, fromName: account.options.text("smtp_from_name"), to: message.recipient,
                               subject: message.subject ?? "", text: message.text, html: message.html,
                               messageID: "\(message.id.uuidString.lowercased())@\(domain)", date: Date(), unsubscribe: message.unsubscribe)
        mail.attachments = message.attachments
        let prepared = mail
        let credentials = account.options.text("smtp_username").map { ($0, account.secrets["smtp_password"] ?? "") }
        let tls = try tlsContext()
        do {
            return try await withDeadline(timeout) {
                try await conversation(host: host, port: port, implicitTLS: implicitTLS, tls: tls, credentials: credentials, mail: prepared)
            }
        } catch let failure as SendFailure {
            throw failure
        } catch _ where Task.isCancelled {
            throw CancellationError()
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as NIOSSLError {
            throw SendFailure.permanent("TLS with the mail server failed: \(error)")
        } catch {
            throw SendFailure.retry("the mail server could not be reached: \(error)", after: nil)
        }
    }

    func conversation(host: String, port: Int, implicitTLS: Bool, tls: NIOSSLContext, credentials: (String, String)?,
                      mail: MailMessage) async throws -> Accepted {
        let addresses = try await RelayAddress.resolve(host: host, port: port, allowPrivate: allowPrivateHosts)
        let connection = try await SMTPConnection.connect(to: addresses, host: host, tls: implicitTLS ? tls : nil, connectTimeout: .seconds(10))
        defer { Task { await connection.close() } }
        try expect(try await connection.reply(), 220, "greeting")
        var hello = try await connection.send("EHLO \(heloName)")
        try expect(hello, 250, "EHLO")
        var secure = implicitTLS
        if !secure, hello.extensions["STARTTLS"] != nil {
            try expect(try await connection.send("STARTTLS"), 220, "STARTTLS")
            // Nothing may follow the 220 in clear: it would be read as if it had come over TLS.
            guard connection.nothingPending() else { throw SendFailure.permanent("the mail server sent more after its STARTTLS answer; refused") }
            try await connection.startTLS(tls, host: host)
            secure = true
            hello = try await connection.send("EHLO \(heloName)")
            try expect(hello, 250, "EHLO after STARTTLS")
        }
        if let (user, password) = credentials {
            guard secure else { throw SendFailure.permanent("the mail server offers no STARTTLS; the password is not sent in clear") }
            let mechanisms = hello.extensions["AUTH"] ?? []
            if mechanisms.contains("PLAIN") {
                let token = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
                try expect(try await connection.send("AUTH PLAIN \(token)"), 235, "AUTH PLAIN")
            } else if mechanisms.contains("LOGIN") {
                try expect(try await connection.send("AUTH LOGIN"), 334, "AUTH LOGIN")
                try expect(try await connection.send(Data(user.utf8).base64EncodedString()), 334, "AUTH LOGIN user")
                try expect(try await connection.send(Data(password.utf8).base64EncodedString()), 235, "AUTH LOGIN password")
            } else {
                throw SendFailure.permanent("the mail server offers neither AUTH PLAIN nor AUTH LOGIN")
            }
        }
        let eightBit = hello.extensions["8BITMIME"] != nil
        try expect(try await connection.send("MAIL FROM:<\(mail.from)>" + (eightBit ? " BODY=8BITMIME" : "")), 250, "MAIL FROM")
        let recipient = try await connection.send("RCPT TO:<\(mail.to)>")
        guard recipient.code == 250 || recipient.code == 251 else { throw failure(recipient, "RCPT TO") }
        try expect(try await connection.send("DATA"), 354, "DATA")
        let body = MailMessage.dotStuffed(mail.rendered(eightBit: eightBit, boundary: "=_crm_" + mail.messageID.prefix(8)))
        try await connection.write(body + (body.hasSuffix("\r\n") ? "" : "\r\n") + ".\r\n")
        let accepted = try await connection.reply()
        try expect(accepted, 250, "the message")
        _ = try? await connection.send("QUIT")
        return Accepted(providerID: mail.messageID, costUnits: 1)
    }

    func expect(_ reply: SMTPReply, _ code: Int, _ step: String) throws {
        guard reply.code == code else { throw failure(reply, step) }
    }

    func failure(_ reply: SMTPReply, _ step: String) -> SendFailure {
        let reason = "SMTP \(step): \(reply.code) \(reply.text.prefix(200))"
        return reply.isTransient ? .retry(reason, after: nil) : .permanent(reason)
    }

    func tlsContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let extraTrustRoots { configuration.additionalTrustRoots = [.file(extraTrustRoots)] }
        return try NIOSSLContext(configuration: configuration)
    }
}

/// `work`, or `SendFailure.retry` once `limit` has passed.
func withDeadline<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw SendFailure.retry("no answer within \(limit)", after: nil)
        }
        return value
    }
}
