import AsyncHTTPClient
import Contracts
import Foundation
import Notify
import Testing
import TestSupport

@Suite("Many SMS in one Netgsm request (n:n)")
struct NetgsmBatchTests {
    static func message(_ number: String, _ text: String, purpose: MessagePurpose = .transactional) -> OutgoingMessage {
        OutgoingMessage(id: UUID(), purpose: purpose, recipient: number, text: text, subject: nil, html: nil, whatsApp: nil)
    }

    static let account = ChannelAccount(texts: ["netgsm_usercode": "8508400000", "netgsm_header": "HALIYIKAMA"],
                                        secrets: ["netgsm_password": "gizli"])

    @Test("messages go together, split where the encoding, the purpose or a repeated number needs a request of its own")
    func requestsSplitAsTheProtocolNeeds() async throws {
        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let sms = NetgsmSMS(transport: HTTPTransport(client: .shared), baseURL: gateway.baseURL)
        let messages = [
            Self.message("+905321234567", "Order 1 is ready"),
            Self.message("+905337654321", "Order 2 is ready"),
            Self.message("+905321234567", "Order 3 is ready"),  // the same number again: another request
            Self.message("+905351112233", "Siparişiniz hazır"),  // Turkish letters: encoding TR, another request
            Self.message("+905361112233", "Kampanya", purpose: .commercial),  // İYS-filtered: another request
        ]
        let results = await sms.send(batch: messages, account: Self.account)
        let accepted = try results.map { try $0.get() }
        #expect(gateway.sent.count == 5)
        #expect(Set(gateway.sent.map(\.jobID)).count == 4)
        #expect(accepted[0].providerID == accepted[1].providerID && accepted[0].providerID != accepted[2].providerID)
        let turkish = try #require(gateway.sent.first { $0.text == "Siparişiniz hazır" })
        #expect(turkish.encoding == "TR" && turkish.iysFilter == "0")
        #expect(gateway.sent.first { $0.text == "Kampanya" }?.iysFilter == "11")
        #expect(gateway.sent.filter { $0.encoding == "TR" }.count == 1)
        // Each answer names the job its message went in, as the gateway numbered them.
        for (message, answer) in zip(messages, accepted) {
            let number = String(message.recipient.dropFirst(3))
            #expect(gateway.sent.contains { $0.jobID == answer.providerID && $0.number == number && $0.text == message.text })
        }
    }

    @Test("a refusal that may be one message's fault sends that request's messages one by one; an account's refusal fails them all")
    func refusalsAreSortedOut() async throws {
        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let sms = NetgsmSMS(transport: HTTPTransport(client: .shared), baseURL: gateway.baseURL)
        let pair = [Self.message("+905321234567", "Order 1 is ready"), Self.message("+905337654321", "Order 2 is ready")]
        gateway.script(.code("20"), .accept, .code("20"))
        let sorted = await sms.send(batch: pair, account: Self.account)
        #expect((try? sorted[0].get()) != nil)
        #expect(sorted[1] == .failure(.permanent("Netgsm code 20: the text is wrong or too long")))
        #expect(gateway.sent.map(\.text) == ["Order 1 is ready"])

        gateway.script(.code("30"))
        let refused = await sms.send(batch: pair, account: Self.account)
        #expect(refused.allSatisfy { if case .failure(.permanent(let reason)) = $0 { reason.hasPrefix("Netgsm code 30") } else { false } })
        #expect(gateway.sent.count == 1)
    }
}
