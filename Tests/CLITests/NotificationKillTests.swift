import Contracts
import Foundation
import Kernel
import Notify
import Queue
import SQLKit
import Storage
import Testing
import TestSupport

/// `crm worker` killed while Netgsm holds a message it has already taken: the message log keeps
/// the attempt, and the next worker does not send it again.
@Suite("Notifications across a worker crash")
struct NotificationKillTests {
    @Test("a worker killed between the gateway's acceptance and the record loses no record and sends no duplicate")
    func killBetweenAcceptanceAndRecord() async throws {
        let url = try await CRMProcess.databaseURL(.postgres)
        let secretKey = SecretBox.generateKey()
        let migrated = try CRMProcess.run(["migrate"], environment: CRMProcess.environment(database: url))
        try #require(migrated.status == 0, "\(migrated.errors)")

        let gateway = try await NetgsmGateway.start()
        defer { Task { await gateway.stop() } }
        let opened = try await DatabaseConnector.open(try DatabaseLocation.parse(url), poolSize: 4, logger: .init(label: "test"))
        let serviceTask = opened.service.map { service in Task { try await service.run() } }
        defer { serviceTask?.cancel() }
        var settings = TestKernels.settings()
        settings.secrets = try SecretBox(base64Key: secretKey)
        let kernel = Kernel(database: opened.database, registry: TestKernels.registry, settings: settings,
                            subscribers: [NotifyModule.subscriber()],
                            settingsCatalog: try SettingsCatalog([NotifyModule.settings], registry: TestKernels.registry),
                            featureMigrations: NotifyModule.migrations)
        let tenant = try await TenantFixture.make(kernel, sector: "carpet")
        for (key, value) in [("netgsm_usercode", "8508400000"), ("netgsm_password", "gizli"), ("netgsm_header", "HALIYIKAMA")] {
            _ = try await kernel.settingsService.change(key, to: .text(value), by: tenant.ownerPrincipal)
        }
        let customer = try await tenant.customer(kernel)
        gateway.script(.acceptAndHold)

        // A provider timeout longer than the test: the held call ends by the kill, never by the worker giving up on it.
        let environment = CRMProcess.environment(database: url, extra: ["CRM_SECRET_KEY": secretKey, "CRM_NETGSM_URL": gateway.baseURL,
                                                                        "CRM_PROVIDER_TIMEOUT": "300"])
        let first = try Self.worker(environment)
        let order = try await kernel.orders.create(
            OrderDraft(customerId: customer.id, items: [LineRequest(service: "machine_woven", widthCm: 200, lengthCm: 300)]), by: tenant.ownerPrincipal)
        let workflow = try kernel.registry.require("carpet").workflow
        var stage = workflow.initialStage
        while stage != workflow.readyStage {
            stage = workflow.next(from: stage).first { !$0.hasPrefix("cancel") && $0 != Workflow.cancelled }!
            _ = try await kernel.tracking.scan(order.items[0].tag, to: stage, note: nil, by: tenant.ownerPrincipal)
        }

        // The gateway has taken the message and not yet answered: the worker dies now.
        #expect(try await eventually(60) { gateway.sent.count == 1 })
        Foundation.kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        gateway.release()
        let notify = try NotifyModule(kernel: kernel)
        let during = try await notify.messages.list(customerID: customer.id, limit: 10, by: tenant.ownerPrincipal)
        #expect(during.map(\.status) == [.sending], "the attempt was on record before the gateway was called")

        // The next worker takes the job up after its lease lapses, and does not send again.
        let second = try Self.worker(environment)
        defer { second.terminate(); second.waitUntilExit() }
        #expect(try await eventually(60) {
            try await notify.messages.list(customerID: customer.id, limit: 10, by: tenant.ownerPrincipal).first?.status == .unconfirmed
        })
        #expect(try await eventually(30) {
            try await kernel.queue.jobs(state: nil, queue: "notifications", limit: 10).isEmpty
        })
        #expect(gateway.sent.count == 1, "sent once, not again")
        let record = try #require(try await notify.messages.list(customerID: customer.id, limit: 10, by: tenant.ownerPrincipal).first)
        #expect(record.text?.contains(order.number) == true && record.recipient == "+905321234567" && record.attempts == 1)
    }

    static func worker(_ environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = CRMProcess.binary
        process.arguments = ["worker", "--queues", "notifications:4", "--lease", "2"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
