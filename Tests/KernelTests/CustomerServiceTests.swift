import Contracts
import Foundation
import Kernel
import Storage
import Testing
import TestSupport

@Suite("Customer cards and quick search")
struct CustomerServiceTests {
    static func draft(_ name: String, phone: String? = nil, email: String? = nil) -> CustomerDraft {
        CustomerDraft(name: name, phones: phone.map { [PhoneInput(number: $0)] }, email: email)
    }

    @Test("codes are sequential per tenant; phones are stored in E.164; defaults fill in", arguments: TestDatabases.engines)
    func createsCards(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let other = try await TenantFixture.make(kernel)
        let first = try await kernel.customers.create(Self.draft("AYŞE YILMAZ", phone: "0532 123 45 67"), by: fixture.ownerPrincipal)
        let second = try await kernel.customers.create(Self.draft("Mehmet Öz", email: "Mehmet@Example.com"), by: fixture.ownerPrincipal)
        let elsewhere = try await kernel.customers.create(Self.draft("Can Ak"), by: other.ownerPrincipal)
        #expect([first.code, second.code, elsewhere.code] == ["C00001", "C00002", "C00001"])
        #expect(first.phones == [CustomerPhone(number: "+905321234567", label: .mobile)])
        #expect(first.preferredChannel == .sms)
        #expect(second.preferredChannel == .email)
        #expect(second.email == "mehmet@example.com")
        #expect(first.customerType == "retail")
        #expect(first.branchId == fixture.branch.id)
        #expect(first.version == 1)
        #expect(try await kernel.customers.get(first.id, by: fixture.ownerPrincipal) == first)
    }

    @Test("search matches name, phone in any format, e-mail and code, ignoring case and Turkish letters", arguments: TestDatabases.engines)
    func search(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let ayse = try await kernel.customers.create(Self.draft("AYŞE YILMAZ", phone: "0532 123 45 67", email: "ayse@example.com"), by: fixture.ownerPrincipal)
        let isik = try await kernel.customers.create(Self.draft("Işık İnan", phone: "+90 216 555 12 34"), by: fixture.ownerPrincipal)
        _ = try await kernel.customers.create(Self.draft("Ahmet Kaya", phone: "0544 000 11 22"), by: fixture.ownerPrincipal)
        let page = try PageRequest()
        func find(_ text: String) async throws -> [String] {
            try await kernel.customers.list(.init(text: text), page: page, by: fixture.ownerPrincipal).items.map(\.code)
        }
        #expect(try await find("ayse yilmaz") == [ayse.code])
        #expect(try await find("Ayşe Yılmaz") == [ayse.code])
        #expect(try await find("yilm") == [ayse.code])
        #expect(try await find("ISIK") == [isik.code])
        #expect(try await find("inan") == [isik.code])
        #expect(try await find("0532 123 45 67") == [ayse.code])
        #expect(try await find("+90 (532) 123-4567") == [ayse.code])
        #expect(try await find("5321234567") == [ayse.code])
        #expect(try await find("532 123") == [ayse.code])
        #expect(try await find("0216 555") == [isik.code])
        #expect(try await find("AYSE@EXAMPLE") == [ayse.code])
        #expect(try await find(ayse.code.lowercased()) == [ayse.code])
        #expect(try await find("%") == [])
        #expect(try await find("nobody") == [])
    }

    @Test("lists page newest first with a cursor", arguments: TestDatabases.engines)
    func paging(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        for index in 1...5 {
            _ = try await kernel.customers.create(Self.draft("Customer \(index)"), by: fixture.ownerPrincipal)
        }
        let first = try await kernel.customers.list(.init(), page: try PageRequest(limit: 2), by: fixture.ownerPrincipal)
        #expect(first.items.map(\.code) == ["C00005", "C00004"])
        let second = try await kernel.customers.list(.init(), page: try PageRequest(limit: 2, cursor: first.nextCursor), by: fixture.ownerPrincipal)
        #expect(second.items.map(\.code) == ["C00003", "C00002"])
        let last = try await kernel.customers.list(.init(), page: try PageRequest(limit: 2, cursor: second.nextCursor), by: fixture.ownerPrincipal)
        #expect(last.items.map(\.code) == ["C00001"])
        #expect(last.nextCursor == nil)
        #expect(throws: DomainError.self) { try PageRequest(limit: 0) }
        #expect(throws: DomainError.self) { try PageRequest(cursor: "garbage") }
    }

    @Test("updates follow merge-patch rules, honour the expected version and are audited with before and after", arguments: TestDatabases.engines)
    func updates(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let created = try await kernel.customers.create(
            CustomerDraft(name: "Ayşe", phones: [PhoneInput(number: "05321234567")], email: "a@example.com", notes: "Kolalı gömlek"),
            by: fixture.ownerPrincipal
        )
        var patch = CustomerPatch()
        patch.name = .value("Ayşe Yılmaz")
        patch.notes = .null
        patch.customerType = .value("vip")
        patch.tags = .value(["Düzenli", "düzenli", "Kurumsal "])
        let updated = try await kernel.customers.update(created.id, patch, expectedVersion: 1, by: fixture.ownerPrincipal)
        #expect(updated.name == "Ayşe Yılmaz")
        #expect(updated.notes == nil)
        #expect(updated.email == "a@example.com")
        #expect(updated.customerType == "vip")
        #expect(updated.tags == ["Düzenli", "Kurumsal"])
        #expect(updated.version == 2)
        await #expect { try await kernel.customers.update(created.id, patch, expectedVersion: 1, by: fixture.ownerPrincipal) } throws: {
            ($0 as? DomainError)?.code == .preconditionFailed
        }
        var unknownType = CustomerPatch()
        unknownType.customerType = .value("platinum")
        await #expect { try await kernel.customers.update(created.id, unknownType, by: fixture.ownerPrincipal) } throws: {
            ($0 as? DomainError)?.code == .unknownCustomerType
        }
        let entries = try await kernel.audit.list(.init(entity: "customer", entityID: created.id.uuidString), by: fixture.ownerPrincipal)
        #expect(entries.map(\.action) == ["customer.update", "customer.create"])
        let update = try #require(entries.first)
        guard case .object(let before) = update.before, case .object(let after) = update.after else {
            Issue.record("the update's audit row lacks before and after")
            return
        }
        #expect(before["name"] == .string("Ayşe"))
        #expect(after["name"] == .string("Ayşe Yılmaz"))
        #expect(update.actor.id == fixture.owner.id.uuidString)
    }

    @Test("a deleted card disappears from look-ups and lists but keeps its history", arguments: TestDatabases.engines)
    func softDelete(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let created = try await kernel.customers.create(Self.draft("Silinecek Müşteri"), by: fixture.ownerPrincipal)
        try await kernel.customers.delete(created.id, by: fixture.ownerPrincipal)
        await #expect { try await kernel.customers.get(created.id, by: fixture.ownerPrincipal) } throws: {
            ($0 as? DomainError)?.code == .notFound
        }
        #expect(try await kernel.customers.list(.init(), page: try PageRequest(), by: fixture.ownerPrincipal).items.isEmpty)
        let actions = try await kernel.audit.list(.init(entityID: created.id.uuidString), by: fixture.ownerPrincipal).map(\.action)
        #expect(actions == ["customer.delete", "customer.create"])
        // The number is not reused.
        #expect(try await kernel.customers.create(Self.draft("Yeni"), by: fixture.ownerPrincipal).code == "C00002")
    }

    @Test("invalid input names every bad field and writes nothing", arguments: TestDatabases.engines)
    func invalidInput(engine: Engine) async throws {
        let kernel = try await TestKernels.make(engine)
        let fixture = try await TenantFixture.make(kernel)
        let draft = CustomerDraft(name: "", phones: [PhoneInput(number: "12"), PhoneInput(number: nil)], email: "x@",
                                  preferredChannel: "pigeon", tags: [String(repeating: "t", count: 41)])
        do {
            _ = try await kernel.customers.create(draft, by: fixture.ownerPrincipal)
            Issue.record("created a customer from invalid input")
        } catch let error as DomainError {
            #expect(Set(error.fields.map(\.field)) == ["name", "phones[0].number", "phones[1].number", "email", "preferredChannel", "tags[0]"])
        }
        #expect(try await kernel.customers.list(.init(), page: try PageRequest(), by: fixture.ownerPrincipal).items.isEmpty)
        await #expect { try await kernel.customers.create(Self.draft("Ali", phone: "0532 123 45 67").with(channel: "email"), by: fixture.ownerPrincipal) } throws: {
            ($0 as? DomainError)?.fields.first?.field == "preferredChannel"
        }
    }
}

extension CustomerDraft {
    func with(channel: String) -> CustomerDraft {
        var copy = self
        copy.preferredChannel = channel
        return copy
    }
}
