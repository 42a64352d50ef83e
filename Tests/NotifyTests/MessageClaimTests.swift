import Contracts
import Foundation
import Kernel
@testable import Notify
import Storage
import Testing
import TestSupport

@Suite("Claiming messages before the provider is called")
struct MessageClaimTests {
    static func attempt(_ key: String, customer: Customer) -> MessageLog.Attempt {
        MessageLog.Attempt(id: UUID(), key: key, customerID: customer.id, orderID: nil, message: .receipt, purpose: .transactional,
                           channel: .sms, recipient: "+905321234567", text: "Siparişiniz alındı", sms: SMSText("Siparişiniz alındı"),
                           provider: "netgsm", jobID: 1)
    }

    @Test("a batch with one message another run wrote meanwhile claims the others and leaves that one as it was", arguments: TestDatabases.engines)
    func claimPassesOverRowsWrittenMeanwhile(engine: Engine) async throws {
        let fixture = try await NotifyFixture.make(engine)
        defer { Task { await fixture.stop() } }
        let customer = try await fixture.customer()
        let tenantID = fixture.tenant.tenant.id
        let database = fixture.kernel.database
        let earlier = Self.attempt("receipt:a", customer: customer)
        #expect(try await MessageLog.claim([earlier], tenantID: tenantID, at: Date(), database: database) == [earlier.id])

        // The same message again (another run's attempt, with an id of its own) amid two new ones.
        let again = Self.attempt("receipt:a", customer: customer)
        let others = [Self.attempt("receipt:b", customer: customer), Self.attempt("receipt:c", customer: customer)]
        let claimed = try await MessageLog.claim([others[0], again, others[1]], tenantID: tenantID, at: Date(), database: database)
        #expect(claimed == Set(others.map(\.id)), "the message written before is not this run's to send")

        let rows = try await fixture.messages(customer)
        #expect(rows.count == 3)
        #expect(rows.filter { $0.message == "receipt" && $0.status == .sending }.count == 3)
        #expect(rows.contains { $0.id == earlier.id } && !rows.contains { $0.id == again.id })
    }
}
