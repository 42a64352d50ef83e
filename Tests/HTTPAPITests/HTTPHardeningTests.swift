import Contracts
import Foundation
@testable import HTTPAPI
import HTTPTypes
import Kernel
import SQLKit
import Storage
import Testing
import TestSupport

@Suite("HTTP: client addresses behind proxies, methods, caches, typed settings")
struct HTTPHardeningTests {
    @Test("the client is the right-most address not among the trusted proxies, and only a trusted peer is believed")
    func forwardedChain() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.1, ::1")
        // The client wrote the left-most entries itself; the proxies appended the rest.
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 203.0.113.7, 192.168.1.1"]) == "203.0.113.7")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["6.6.6.6", "203.0.113.7"]) == "203.0.113.7")
        #expect(proxies.client(peer: "::1", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
        #expect(proxies.client(peer: "::ffff:10.0.0.9", forwardedFor: ["198.51.100.2"]) == "198.51.100.2")
        // A peer that is not a proxy is the client, whatever the header says.
        #expect(proxies.client(peer: "198.51.100.9", forwardedFor: ["10.0.0.1"]) == "198.51.100.9")
        // Garbage ends the walk at the last trusted hop; a chain of proxies only gives the left-most.
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["not-an-ip"]) == "10.1.2.3")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["203.0.113.7, <script>"]) == "10.1.2.3")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["10.9.9.9, 10.8.8.8"]) == "10.9.9.9")
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: ["203.0.113.7"]) == "127.0.0.1")
        #expect(throws: TrustedProxies.InvalidProxyEntry.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: TrustedProxies.InvalidProxyEntry.self) { try TrustedProxies(parsing: "proxy.local") }
    }

    static func loginAddresses(_ kernel: Kernel, _ fixture: TenantFixture) async throws -> [String] {
        try await kernel.database.read(.tenant(fixture.tenant.id)) { sql in
            try await sql.raw("SELECT address FROM audit_log WHERE tenant_id = \(bind: fixture.tenant.id) AND action = 'auth.login' ORDER BY at")
                .all().map { try $0.decode(column: "address", as: String?.self) ?? "-" }
        }
    }

    @Test("over real sockets: behind a trusted proxy the forwarded client is recorded; without one the peer is", arguments: TestDatabases.engines)
    func addressesOverHTTP(engine: Engine) async throws {
        let trusting = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(trusting.kernel)
        try await trusting.run { client in
            _ = try await client.login(fixture.tenant.slug, fixture.owner.email, from: "6.6.6.6, 203.0.113.7")
        }
        #expect(try await Self.loginAddresses(trusting.kernel, fixture) == ["203.0.113.7"])

        let direct = try await APIHarness.make(engine) { $0.trustedProxies = .none }
        let other = try await TenantFixture.make(direct.kernel)
        try await direct.run { client in
            _ = try await client.login(other.tenant.slug, other.owner.email, from: "203.0.113.7")
        }
        #expect(try await Self.loginAddresses(direct.kernel, other) == ["127.0.0.1"])
    }

    @Test("a NUL in a sign-in is a failed sign-in, not a server error", arguments: TestDatabases.engines)
    func nulInSignIn(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { client in
            for body in [#"{"tenant":"\#(fixture.tenant.slug)\u0000","email":"a@b.example","password":"x"}"#,
                         #"{"tenant":"\#(fixture.tenant.slug)","email":"owner\u0000@b.example","password":"x"}"#] {
                let reply = try await client.send(.post, "/api/v1/auth/login", body: body)
                #expect(reply.status == .unauthorized && reply.code == "invalid_credentials", "\(reply.text)")
            }
        }
    }

    @Test("a known path asked with another method answers 405 with Allow", arguments: TestDatabases.engines)
    func methodNotAllowed(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        try await harness.run { client in
            let reply = try await client.send(.delete, "/api/v1/customers")
            #expect(reply.status == .methodNotAllowed && reply.code == "method_not_allowed" && reply.isProblem)
            #expect(reply.headers[.allow] == "GET, HEAD, POST")
            let byID = try await client.send(.post, "/api/v1/customers/\(UUID().uuidString)")
            #expect(byID.status == .methodNotAllowed && byID.headers[.allow] == "DELETE, GET, HEAD, PATCH")
            #expect(try await client.send(.get, "/api/v1/no-such-thing").code == "route_not_found")
        }
    }

    @Test("answers that carry a generated password are never cached", arguments: TestDatabases.engines)
    func noStore(engine: Engine) async throws {
        let harness = try await APIHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { client in
            let token = try await client.login(fixture)
            let created = try await client.send(.post, "/api/v1/users", token: token, body: client.json([
                "email": "desk@\(fixture.tenant.slug).example", "name": "Desk", "role": "front_desk", "branchId": fixture.branch.id.uuidString,
            ]))
            #expect(created.status == .created && created.json["generatedPassword"] != nil)
            #expect(created.headers[.cacheControl] == "no-store")
            let id = (created.json["user"] as? [String: Any])?["id"] as? String ?? ""
            let reset = try await client.send(.post, "/api/v1/users/\(id)/password", token: token, body: "{}")
            #expect(reset.status == .ok && reset.headers[.cacheControl] == "no-store", "\(reset.text)")
        }
    }

    static let declarations = [SettingsDeclaration(owner: "notify", settings: [
        SettingDefinition(key: "sms_sender", name: LocalizedText(tr: "SMS başlığı", en: "SMS sender"), kind: .text,
                          pattern: "[A-Z0-9 .]{3,11}", maximumLength: 11),
        SettingDefinition(key: "sms_enabled", name: LocalizedText(tr: "SMS açık", en: "SMS on"), kind: .boolean, defaultValue: 0),
        SettingDefinition(key: "smtp_password", name: LocalizedText(tr: "SMTP parolası", en: "SMTP password"), kind: .secret, maximumLength: 200),
    ])]

    @Test("settings are typed by their owners; secrets are sealed, never answered, never audited", arguments: TestDatabases.engines)
    func typedSettings(engine: Engine) async throws {
        var settings = TestKernels.settings()
        settings.secrets = try SecretBox(base64Key: SecretBox.generateKey())
        let harness = try await APIHarness.make(engine, settings: settings,
                                                settingsCatalog: try SettingsCatalog(Self.declarations, registry: TestKernels.registry))
        let fixture = try await TenantFixture.make(harness.kernel, sector: "carpet")
        let password = "gizli-Parola-123 !"
        try await harness.run { client in
            let token = try await client.login(fixture)
            func put(_ key: String, _ value: Any) async throws -> APIHarness.Client.Reply {
                try await client.send(.put, "/api/v1/settings/\(key)", token: token, body: client.json(["value": value]))
            }
            #expect(try await put("sms_sender", "KURU TEMIZ").status == .ok)
            #expect(try await put("sms_sender", "kuru temiz").code == "invalid_value")      // the pattern
            #expect(try await put("sms_sender", 42).code == "wrong_type")
            #expect(try await put("sms_enabled", true).status == .ok)
            #expect(try await put("minimum_order", 99_000_000_000).code == "invalid_value") // the sector's own, bounded
            #expect(try await put("smtp_password", password).status == .ok)
            let listed = try await client.send(.get, "/api/v1/settings", token: token)
            let byKey = Dictionary(uniqueKeysWithValues: listed.items.map { ($0["key"] as? String ?? "", $0) })
            #expect(byKey["sms_sender"]?["value"] as? String == "KURU TEMIZ" && byKey["sms_sender"]?["owner"] as? String == "notify")
            #expect(byKey["sms_enabled"]?["value"] as? Int == 1)
            #expect(byKey["minimum_order"]?["owner"] as? String == "carpet")
            #expect(byKey["smtp_password"]?["isSet"] as? Bool == true && byKey["smtp_password"]?["value"] == nil)
            #expect(!listed.text.contains(password))
        }
        // Sealed at rest, bound to its place, readable by the product.
        let stored = try await harness.kernel.database.read(.tenant(fixture.tenant.id)) { sql in
            try await sql.raw("SELECT secret_value FROM settings WHERE tenant_id = \(bind: fixture.tenant.id) AND key = 'smtp_password'")
                .first(decodingColumn: "secret_value", as: String.self)
        }
        #expect(stored?.hasPrefix("v1:") == true && stored?.contains(password) == false)
        #expect(try await harness.kernel.settingsService.secret(owner: "notify", key: "smtp_password", tenantID: fixture.tenant.id) == password)
        let audit = try await harness.kernel.audit.list(.init(entity: "setting"), by: fixture.ownerPrincipal)
        #expect(audit.count == 3 && !String(describing: audit.map(\.after)).contains(password))
    }

    @Test("without CRM_SECRET_KEY a secret is refused, not stored in the clear", arguments: TestDatabases.engines)
    func secretsNeedAKey(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine, settingsCatalog: try SettingsCatalog(Self.declarations, registry: TestKernels.registry))
        let fixture = try await TenantFixture.make(kernel)
        await #expect { _ = try await kernel.settingsService.change("smtp_password", to: .text("x-y-z"), by: fixture.ownerPrincipal) } throws: {
            ($0 as? DomainError)?.code == .unavailable
        }
        #expect(throws: ConfigurationError.self) {
            try SettingsCatalog([SettingsDeclaration(owner: "notify", settings: [
                SettingDefinition(key: "minimum_order", name: LocalizedText(tr: "x", en: "x"), kind: .integer, defaultValue: 0),
            ])], registry: TestKernels.registry)
        }
    }
}
