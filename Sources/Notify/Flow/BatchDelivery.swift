import Contracts
import Foundation
import Kernel
import Queue
import SQLKit
import Storage

extension Notifier {
    /// Sends an order's message as `deliver` does, gathered with the jobs that run at the same
    /// time: a batch reads its orders, log rows, consents and settings in a few statements, writes
    /// every `sending` row in one, hands the provider as few calls as it takes, and records the
    /// answers and completes the jobs in one transaction. The once-only rule is `send`'s: each row
    /// is committed before its call. Anything out of the ordinary runs alone, through `deliver`.
    public func deliverGathered(_ job: OrderMessageJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a message job needs its tenant") }
        switch await group.submit((job, context), tenantID: tenantID, process: { tenantID, items in await self.deliver(batch: items, tenantID: tenantID) }) {
        case .completed: return
        case .failed(let error): throw error
        case .alone: try await deliver(job, context: context)
        }
    }

    /// One tenant's batch; an outcome for each item, in order.
    func deliver(batch items: [DeliveryGroup.Item], tenantID: UUID) async -> [BatchOutcome] {
        do {
            return try await sendBatch(items, tenantID: tenantID)
        } catch {
            // Nothing is lost: rows written `sending` are found by the jobs' next runs (unconfirmed).
            return Array(repeating: .failed(error), count: items.count)
        }
    }

    private func sendBatch(_ items: [DeliveryGroup.Item], tenantID: UUID) async throws -> [BatchOutcome] {
        var outcomes = [BatchOutcome](repeating: .alone, count: items.count)
        let orders = try await notices.notices(orderIDs: items.map(\.job.orderId), tenantID: tenantID, items: true)
        let customers = Array(Set(orders.values.map(\.contact.customerID)))
        let keys = items.map(\.job.key)
        let (existing, consents, overrides) = try await database.read(.tenant(tenantID)) { sql in
            (try await MessageLog.byKeys(keys, tenantID: tenantID, sql: sql),
             try await ConsentService.latestEntries(customerIDs: customers, tenantID: tenantID, sql: sql),
             try await TemplateOverrides.rows(tenantID: tenantID, message: nil, sql: sql))
        }
        let options = try await settings.values(owner: NotifySettings.owner, tenantID: tenantID)
        var accounts: [MessageChannel: ChannelAccount] = [:]
        var unusable: Set<MessageChannel> = []

        // The ordinary case: a first attempt of a transactional message on the customer's first channel.
        // What follows from the message, the sector, the customer's channel and language alone is
        // worked out once per batch (a batch's messages mostly share all four).
        var plans: [PlanKey: Plan?] = [:]
        var ready: [(index: Int, composed: ComposedMessage)] = []
        for (index, item) in items.enumerated() {
            guard existing[item.job.key] == nil, let message = MessageKind(id: item.job.message), let notice = orders[item.job.orderId] else { continue }
            let key = PlanKey(sector: notice.contact.sector, message: message, preferred: notice.contact.preferredChannel, locale: notice.contact.locale)
            let shared: Plan?
            if let known = plans[key] {
                shared = known
            } else {
                shared = plan(for: key, options: options, overrides: overrides)
                plans[key] = shared  // a nil plan is kept too: `.some(nil)`
            }
            guard let plan = shared else { continue }
            let channel = plan.channel
            guard !unusable.contains(channel) else { continue }
            let facts = MessageFacts(order: notice, stageName: plan.stageName)
            guard reasonNotToSend(channel: channel, purpose: .transactional, facts: facts,
                                  consent: consents[facts.customerID]?[ConsentService.Key(channel: channel, purpose: .transactional)]) == nil else { continue }
            if accounts[channel] == nil {
                guard let account = try? await account(of: plan.client, options: options, tenantID: tenantID) else {
                    unusable.insert(channel)
                    continue
                }
                accounts[channel] = account
            }
            ready.append((index, compose(channel: channel, template: plan.template, client: plan.client, key: item.job.key, message: message,
                                         purpose: .transactional, facts: facts, existingID: nil, options: options, jobID: item.context.job.id)))
        }
        guard !ready.isEmpty else { return outcomes }

        let claimedAt = clock.now()
        let attempts = ready.map(\.composed.attempt)
        let claimed = try await MessageLog.claim(attempts, tenantID: tenantID, at: claimedAt, database: database)
        ready.removeAll { !claimed.contains($0.composed.attempt.id) }

        var answers: [Int: Result<Accepted, SendFailure>] = [:]
        for (channel, group) in Dictionary(grouping: ready, by: \.composed.attempt.channel) {
            let results = await channels[channel]!.send(batch: group.map(\.composed.outgoing), account: accounts[channel]!)
            for (entry, result) in zip(group, results) { answers[entry.index] = result }
        }

        let recordedAt = clock.now()
        var sent: [(id: UUID, accepted: Accepted)] = []
        var marks: [(id: UUID, next: AfterFailure)] = []
        var completing: [Int] = []
        for entry in ready {
            let context = items[entry.index].context
            switch answers[entry.index]! {
            case .success(let accepted):
                sent.append((entry.composed.attempt.id, accepted))
                completing.append(entry.index)
            case .failure(let failure):
                let next = Self.next(after: failure, lastAttempt: context.job.attempt >= context.job.maxAttempts)
                marks.append((entry.composed.attempt.id, next))
                if next.completes { completing.append(entry.index) } else { outcomes[entry.index] = next.error.map { .failed($0) } ?? .alone }
            }
        }
        let (accepted, refused) = (sent, marks)
        let record: @Sendable (any SQLDatabase) async throws -> Void = { sql in
            try await MessageLog.sent(accepted, tenantID: tenantID, at: recordedAt, sql: sql)
            for (id, next) in refused {
                try await MessageLog.mark(id, next.status, reason: next.reason, tenantID: tenantID, at: recordedAt, sql: sql)
            }
        }
        let completed: Set<Int64>
        if completing.isEmpty {
            try await database.transaction(.tenant(tenantID), record)
            completed = []
        } else {
            // Not waiting for the disk here: the `sending` rows are (their commit was), so if a crash
            // loses this one the jobs run again, find their rows `sending` and mark them unconfirmed.
            completed = try await JobContext.complete(together: completing.map { items[$0].context }, scope: .tenant(tenantID),
                                                      durable: false, record)
        }
        for index in completing {
            let job = items[index].context.job.id
            outcomes[index] = completed.contains(job) ? .completed : .failed(LeaseLost(jobID: job))
        }
        return outcomes
    }

    /// What a batch's messages share when they share a `PlanKey`.
    private struct PlanKey: Hashable {
        let sector: String
        let message: MessageKind
        let preferred: ContactChannel
        let locale: String
    }

    private struct Plan {
        let channel: MessageChannel
        let client: any ChannelClient
        let template: TemplateBook.Compiled
        let stageName: String?
    }

    /// The channel and template of the ordinary case for messages of `key`; nil when they are not
    /// the ordinary case (a commercial message, WhatsApp first, no template or client for the channel).
    private func plan(for key: PlanKey, options: SectorSettings, overrides: [TemplateOverrides.Place: TemplateOverrides.Stored]) -> Plan? {
        let (sector, message) = (key.sector, key.message)
        guard purpose(of: message, sector: sector) == .transactional, templates.writes(sector: sector, message: message),
              let channel = Self.order(preferred: key.preferred, setting: options.text("notify_channel_order")).first,
              channel != .whatsapp, let client = channels[channel],
              let sectorTemplate = templates.template(sector: sector, message: message, channel: channel) else { return nil }
        let template = TemplateOverrides.applied(sectorTemplate, book: templates, sector: sector, overrides: overrides,
                                                 message: message, channel: channel, language: key.locale)
        return Plan(channel: channel, client: client, template: template, stageName: stageName(of: message, sector: sector, locale: key.locale))
    }

    /// The stage's name in the customer's language, for a stage's message.
    func stageName(of message: MessageKind, sector: String, locale: String) -> String? {
        message.stageID.flatMap { id in registry.module(id: sector)?.workflow.stages.first { $0.id == id }?.name.text(for: locale) }
    }
}
