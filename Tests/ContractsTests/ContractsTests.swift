import CarWash
import Carpet
import Contracts
import DryCleaning
import RetailLoyalty
import ShoeShine
import Tailoring
import Testing

@Suite("Contracts shared by the kernel and sector modules")
struct ContractsTests {
    @Test("the six shipped sectors have valid, distinct ids and names in both languages")
    func shippedSectors() {
        let modules: [any SectorModule] = [DryCleaningModule(), CarpetModule(), ShoeShineModule(), TailoringModule(), CarWashModule(), RetailLoyaltyModule()]
        let ids = modules.map(\.identity.id)
        #expect(ids == ["drycleaning", "carpet", "shoeshine", "tailoring", "carwash", "retail"])
        for module in modules {
            #expect(SectorIdentity.isValidID(module.identity.id))
            #expect(!module.identity.name.tr.isEmpty && !module.identity.name.en.isEmpty)
            #expect(module.identity.name.text(for: "en-GB") == module.identity.name.en)
            #expect(module.identity.name.text(for: "tr") == module.identity.name.tr)
        }
        #expect(!SectorIdentity.isValidID("Dry Cleaning"))
        #expect(!SectorIdentity.isValidID("9lives"))
    }

    @Test("portable migration types become each engine's own")
    func portableTypes() {
        let statement = MigrationStatement.portable("CREATE TABLE t (id {uuid}, at {timestamp}, doc {json}, ok {bool}, n BIGINT)")
        #expect(statement.sqlite == "CREATE TABLE t (id TEXT, at REAL, doc TEXT, ok INTEGER, n BIGINT)")
        #expect(statement.postgres == "CREATE TABLE t (id uuid, at timestamptz, doc jsonb, ok boolean, n BIGINT)")
        let isolation = MigrationStatement.tenantIsolation(table: "orders")
        #expect(isolation.allSatisfy { $0.sqlite == nil })
        #expect(isolation.contains { $0.postgres?.contains("FORCE ROW LEVEL SECURITY") == true })
    }

    @Test("field errors keep their own code alone and become validation_failed together")
    func fieldErrors() {
        var errors = FieldErrors()
        errors.add("phones[0].number", .invalidPhone, "bad")
        #expect(DomainError.invalid(errors.all).code == .invalidPhone)
        errors.add("email", .invalidEmail, "bad")
        #expect(DomainError.invalid(errors.all).code == .validationFailed)
        let collected = errors.collect("owner.email") { () throws -> Int in throw DomainError(.invalidEmail, "bad") }
        #expect(collected == nil)
        #expect(errors.all.last?.field == "owner.email")
        #expect(throws: DomainError.self) { try errors.throwIfAny() }
    }
}
