import Contracts
import Foundation
import Kernel
import NIOCore
@testable import Notify
import Queue
import Storage
import Testing
import TestSupport

@Suite("E-mail over SMTP (aiosmtpd with STARTTLS and AUTH)")
struct EmailTests {
    @Test("an order message goes out by e-mail: STARTTLS, AUTH, 8-bit multipart text and HTML, an RFC 2047 subject, a Message-ID")
    func sendsMail() async throws {
        let smtp = try await SMTPPeer.start(user: "magaza", password: "posta-sifre")
        defer { smtp.stop() }
        let fixture = try await NotifyFixture.make(.sqlite, smtp: smtp)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer(channel: "email", email: "ayse@example.com")
        let order = try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
        }
        let mail = try #require(smtp.received.first)
        #expect(smtp.received.count == 1)
        #expect(mail.tls && mail.authenticated && mail.mechanisms == ["PLAIN"])
        #expect(mail.mailFrom == "bildirim@halici.example" && mail.recipients == ["ayse@example.com"])
        #expect(mail.mailOptions.contains("BODY=8BITMIME"))
        let (fields, body) = headers(of: mail.data)
        #expect(decodedWords(fields["subject"] ?? "") == fixture.tenant.tenant.name)
        #expect(fields["from"]?.hasSuffix("<bildirim@halici.example>") == true && decodedWords(String(fields["from"]!.dropLast(26))) == "Halıcı Öztürk")
        let record = try #require(try await fixture.messages(customer).first)
        #expect(fields["message-id"] == "<\(record.providerId ?? "")>" && record.provider == "smtp" && record.channel == .email)
        #expect(fields["date"]?.hasSuffix("+0000") == true && fields["mime-version"] == "1.0")
        #expect(fields["content-type"]?.hasPrefix("multipart/alternative; boundary=") == true)
        #expect(fields["list-unsubscribe"] == nil, "an order message is not marketing")
        #expect(body.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit"))
        #expect(body.contains("Content-Type: text/html; charset=utf-8"))
        #expect(body.contains("Ayşe Hanım, \(order.number) numaralı siparişinizdeki halılar yıkandı ve teslimata hazır."))
    }

    @Test("a 4xx reply is tried again; a 5xx one is not, and the message goes on to the next channel")
    func replyCodes() async throws {
        let transient = try await SMTPPeer.start(user: "magaza", password: "posta-sifre", transient: 1)
        defer { transient.stop() }
        let fixture = try await NotifyFixture.make(.sqlite, smtp: transient)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer(channel: "email", email: "ayse@example.com")
        try await fixture.orderMadeReady(for: customer)
        try await fixture.working {
            try await expectEventually { try await fixture.messages(customer).first?.status == .sent }
        }
        let attempts = try await fixture.messages(customer).first?.attempts
        #expect(transient.received.count == 1 && attempts == 2)

        let permanent = try await SMTPPeer.start(user: "magaza", password: "posta-sifre", permanent: true)
        defer { permanent.stop() }
        let second = try await NotifyFixture.make(.sqlite, smtp: permanent)
        defer { Task { await second.stop() } }
        let other = try await second.customer(channel: "email", email: "yok@example.com")
        try await second.orderMadeReady(for: other)
        try await second.working {
            try await expectEventually { try await second.messages(other).contains { $0.channel == .sms && $0.status == .sent } }
        }
        let email = try #require(try await second.messages(other).first { $0.channel == .email })
        #expect(email.status == .failed && email.attempts == 1 && email.reason?.contains("550") == true)
        #expect(permanent.received.isEmpty && second.gateway.sent.count == 1)
    }

    @Test("a commercial e-mail carries List-Unsubscribe with one-click post, and the link withdraws consent")
    func commercialUnsubscribe() async throws {
        let smtp = try await SMTPPeer.start(user: "magaza", password: "posta-sifre")
        defer { smtp.stop() }
        let fixture = try await NotifyFixture.make(.sqlite, sector: "promowash", clock: runningClock(from: istanbulNoon), smtp: smtp)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer(name: "Mehmet Demir", salutation: "bey", channel: "email", email: "mehmet@example.com")
        _ = try await fixture.notify.consent.record([ConsentChange(channel: .email, purpose: .commercial, granted: true, source: .webForm)],
                                                    customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        try await fixture.orderMadeReady(for: customer, until: "collected")
        try await fixture.working {
            try await expectEventually { smtp.received.count == 2 }
        }
        let marketing = try #require(smtp.received.first { $0.data.contains("List-Unsubscribe") })
        let (fields, body) = headers(of: marketing.data)
        let link = try #require(fields["list-unsubscribe"]).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        #expect(link.hasPrefix("https://crm.example.test/api/v1/unsubscribe/"))
        #expect(fields["list-unsubscribe-post"] == "List-Unsubscribe=One-Click")
        #expect(body.contains(link), "the link is in the message too")
        let token = String(link.dropFirst("https://crm.example.test/api/v1/unsubscribe/".count))
        #expect(try await fixture.notify.unsubscribe.unsubscribe(token))
        #expect(try await fixture.notify.unsubscribe.unsubscribe(token.replacingOccurrences(of: token.suffix(3), with: "AAA")) == false)
        let states = try await fixture.notify.consent.current(customerID: customer.id, by: fixture.tenant.ownerPrincipal)
        #expect(states.first { $0.channel == .email && $0.purpose == .commercial }?.allowed == false)
        #expect(try await fixture.notify.consent.history(customerID: customer.id, by: fixture.tenant.ownerPrincipal).last?.source == .emailLink)
    }

    @Test("a tenant's relay at a loopback address is refused for good unless the operator allows private hosts")
    func privateRelayRefused() async throws {
        let smtp = try await SMTPPeer.start(user: "magaza", password: "posta-sifre")
        defer { smtp.stop() }
        let account = ChannelAccount(texts: ["smtp_host": "localhost", "smtp_from": "bildirim@halici.example"], secrets: [:],
                                     options: SectorSettings(values: ["smtp_port": smtp.port]))
        let message = OutgoingMessage(id: UUID(), purpose: .transactional, recipient: "ayse@example.com", text: "Halınız hazır.",
                                      subject: "Halınız hazır", html: nil, whatsApp: nil)
        let guarded = SMTPMail(extraTrustRoots: smtp.certificate, timeout: .seconds(5), allowAnyPort: true)
        do {
            _ = try await guarded.send(message, account: account)
            Issue.record("a loopback relay was used")
        } catch SendFailure.permanent(let reason) {
            #expect(reason.contains("private, loopback or reserved"), "\(reason)")
            // The tenant sees the reason; what the name resolves to inside the network is not theirs to learn.
            #expect(!reason.contains("127.0.0.1") && !reason.contains("::1"), "\(reason)")
        }
        #expect(smtp.received.isEmpty)
        let allowed = SMTPMail(extraTrustRoots: smtp.certificate, timeout: .seconds(5), allowAnyPort: true, allowPrivateHosts: true)
        _ = try await allowed.send(message, account: account)
        #expect(smtp.received.count == 1)
    }

    @Test("public addresses pass; private, loopback, link-local, shared, multicast, reserved and documentation ones do not")
    func addressRanges() throws {
        func v4(_ text: String) throws -> Bool { RelayAddress.isPublic(try SocketAddress(ipAddress: text, port: 25)) }
        for address in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "193.140.100.1"] { #expect(try v4(address), "\(address)") }
        for address in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                        "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1"] {
            #expect(try !v4(address), "\(address)")
        }
        for address in ["2a00:1450:4001:80b::200e", "2606:4700::1111", "::ffff:8.8.8.8"] { #expect(try v4(address), "\(address)") }
        for address in ["::1", "::", "fe80::1", "fd00::1", "fc00::1", "ff02::1", "2001:db8::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                        "64:ff9b::a9fe:a9fe"] {
            #expect(try !v4(address), "\(address)")
        }
    }

    @Test("dot-stuffing doubles a leading dot on every line; subjects with Turkish letters are RFC 2047 words")
    func wireFormat() {
        #expect(MailMessage.dotStuffed("a\r\n.b\r\n..c\r\n.") == "a\r\n..b\r\n...c\r\n..")
        #expect(decodedWords(MailMessage.encodedWord("Halınız hazır — Çağrı")) == "Halınız hazır — Çağrı")
        #expect(MailMessage.encodedWord("Ready") == "Ready")
        #expect(!MailMessage.encodedWord("Line\r\nBcc: x@y").contains("\r\nBcc"), "no header injection")
    }
}
