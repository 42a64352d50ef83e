import Foundation
import HTTPTypes
import Kernel
import Storage
import Testing
import TestSupport
import WebUI

/// Signing in with a cookie, CSRF tokens on every form, sign-out and expiry, on both engines.
@Suite("Front desk: cookie sessions and CSRF")
struct SessionTests {
    @Test("signing in sets an HttpOnly, SameSite=Lax session cookie and opens the page asked for", arguments: TestDatabases.engines)
    func signIn(engine: Engine) async throws {
        let harness = try await WebHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { browser in
            let asked = try await browser.get("/scan?tag=HY0001")
            #expect(asked.location == "/sign-in?next=%2Fscan%3Ftag%3DHY0001", "the query comes along")
            let back = try await browser.signIn(fixture, next: "/scan?tag=HY0001")
            #expect(back.location == "/scan?tag=HY0001")
            browser.cookies = [:]
            let first = try await browser.get("/scan")
            #expect(first.status == .seeOther)
            #expect(first.location == "/sign-in?next=%2Fscan")
            let signedIn = try await browser.signIn(fixture, next: "/scan")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/scan")
            let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix("crm_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back")
            let scan = try await browser.get("/scan")
            #expect(scan.status == .ok)
            #expect(scan.text.contains("name=\"tag\""))
        }
    }

    @Test("behind a TLS proxy the session cookie is Secure", arguments: TestDatabases.engines)
    func secureBehindTLS(engine: Engine) async throws {
        let harness = try await WebHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { browser in
            let tls: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]
            let form = try await browser.get("/sign-in", headers: tls)
            let signedIn = try await browser.post("/sign-in", [("csrf", form.input("csrf") ?? ""), ("tenant", fixture.tenant.slug),
                                                               ("email", fixture.owner.email), ("password", TenantFixture.ownerPassword)], headers: tls)
            let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix("crm_session=") })
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("a form without its CSRF token, or with another session's, is refused with 403 and changes nothing", arguments: TestDatabases.engines)
    func csrf(engine: Engine) async throws {
        let harness = try await WebHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { browser in
            try await browser.signIn(fixture)
            let home = try await browser.get("/")
            let token = try #require(home.input("csrf"))
            let missing = try await browser.post("/customers", [("name", "Sahte Müşteri")])
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("<code>forbidden</code>"))
            let forged = try await browser.post("/customers", [("csrf", String(token.reversed())), ("name", "Sahte Müşteri")])
            #expect(forged.status == .forbidden)
            let customers = try await harness.kernel.customers.list(.init(text: "Sahte"), page: try PageRequest(), by: fixture.ownerPrincipal)
            #expect(customers.items.isEmpty)
            let real = try await browser.post("/customers", [("csrf", token), ("name", "Gerçek Müşteri"), ("phone", "0532 000 11 22")])
            #expect(real.status == .seeOther)
            #expect(real.location?.hasPrefix("/orders/new?customer=") == true)
        }
    }

    @Test("the sign-in form needs the token of its own cookie; a next address off the site is ignored", arguments: TestDatabases.engines)
    func signInForm(engine: Engine) async throws {
        let harness = try await WebHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { browser in
            let credentials = [("tenant", fixture.tenant.slug), ("email", fixture.owner.email), ("password", TenantFixture.ownerPassword)]
            let withoutCookie = try await browser.post("/sign-in", [("csrf", "guessed")] + credentials)
            #expect(withoutCookie.status == .forbidden)
            #expect(browser.cookies["crm_session"] == nil)
            for offSite in ["//evil.example/steal", "/\t/evil.example", "/\\evil.example", "https://evil.example/", "/ok\r\nSet-Cookie: x=1"] {
                browser.cookies = [:]
                let page = try await browser.signIn(fixture, next: offSite)
                #expect(page.status == .seeOther)
                #expect(page.location == "/", "next \(offSite.debugDescription) was followed")
            }
        }
    }

    @Test("a wrong password shows the form again with 401 and no session", arguments: TestDatabases.engines)
    func wrongPassword(engine: Engine) async throws {
        let harness = try await WebHarness.make(engine)
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { browser in
            let form = try await browser.get("/sign-in")
            let page = try await browser.post("/sign-in", [("csrf", form.input("csrf") ?? ""), ("tenant", fixture.tenant.slug),
                                                           ("email", fixture.owner.email), ("password", "wrong-password")])
            #expect(page.status == .unauthorized)
            #expect(page.text.contains("id=\"sign-in-error\""))
            #expect(page.input("email") == fixture.owner.email)
            #expect(browser.cookies["crm_session"] == nil)
        }
    }

    @Test("signing out revokes the session's token; an expired session goes back to the sign-in page", arguments: TestDatabases.engines)
    func signOutAndExpiry(engine: Engine) async throws {
        let now = LockedDate(Date())
        let harness = try await WebHarness.make(engine, settings: TestKernels.settings(clock: Clock { now.value }))
        let fixture = try await TenantFixture.make(harness.kernel)
        try await harness.run { browser in
            try await browser.signIn(fixture)
            let token = try #require(browser.cookies["crm_session"])
            let home = try await browser.get("/")
            let signedOut = try await browser.post("/sign-out", [("csrf", home.input("csrf") ?? "")])
            #expect(signedOut.location == "/sign-in?notice=signedOut")
            #expect(browser.cookies["crm_session"] == nil)
            browser.cookies["crm_session"] = token
            #expect(try await browser.get("/").location?.hasPrefix("/sign-in") == true, "a signed-out token opened a page")

            browser.cookies = [:]
            try await browser.signIn(fixture)
            #expect(try await browser.get("/").status == .ok)
            now.advance(by: 13 * 3600)  // past the 12-hour lifetime of a sign-in
            let expired = try await browser.get("/scan")
            #expect(expired.location == "/sign-in?next=%2Fscan&expired=1")
            #expect(browser.cookies["crm_session"] == nil)
        }
    }

    @Test("an unknown page is an HTML page with the API's problem code", arguments: TestDatabases.engines)
    func notFound(engine: Engine) async throws {
        let harness = try await WebHarness.make(engine)
        try await harness.run { browser in
            let page = try await browser.get("/no-such-page")
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("<code>route_not_found</code>"))
        }
    }
}

/// A date the test moves forward, read by the kernel's clock.
final class LockedDate: @unchecked Sendable {  // guarded by its lock
    private let lock = NSLock()
    private var date: Date

    init(_ date: Date) {
        self.date = date
    }

    var value: Date { lock.withLock { date } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { date = date.addingTimeInterval(seconds) }
    }
}
