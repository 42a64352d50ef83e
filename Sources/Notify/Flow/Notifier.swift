import Contracts
import Foundation
import Kernel
import Logging
import Queue
import SQLKit
import Storage

/// Sends the message of one job: checks consent and quiet hours, renders the sector's template,
/// tries the customer's channels in order, and keeps every attempt in the message log.
///
/// At most once per (event, customer, purpose), although jobs run at least once: the row of an
/// attempt is committed as `sending` *before* the provider is called, and the answer is recorded
/// in the job's completing transaction. A run that finds a row still `sending` knows an earlier
/// run stopped between the call and the record (the provider may have sent it): it marks the row
/// `unconfirmed` and sends nothing. A failure the provider reports (an error answer) is recorded
/// before the job retries, so only a crash inside that gap is left unconfirmed.
public struct Notifier: Sendable {
    let database: any Database
    let notices: OrderNotices
    let settings: SettingsService
    let registry: ModuleRegistry
    let templates: TemplateBook
    let channels: [MessageChannel: any ChannelClient]
    let unsubscribe: UnsubscribeLinks
    let clock: KernelClock
    /// Where message jobs that run at the same time meet (see `deliverGathered`).
    let group = DeliveryGroup()
    /// The kernel's queue, for a message's follow-up job.
    let queue: JobQueue

    public init(kernel: Kernel, templates: TemplateBook, unsubscribe: UnsubscribeLinks, channels: [any ChannelClient]) {
        self.unsubscribe = unsubscribe
        database = kernel.database
        notices = OrderNotices(database: kernel.database)
        settings = kernel.settingsService
        registry = kernel.registry
        self.templates = templates
        self.channels = Dictionary(channels.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        clock = kernel.settings.clock
        queue = kernel.queue
    }

    public func deliver(_ job: OrderMessageJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a message job needs its tenant") }
        guard let message = MessageKind(id: job.message) else { throw JobOutcome.permanent("unknown message \(job.message)") }
        guard let notice = try await notices.notice(orderID: job.orderId, tenantID: tenantID, items: true) else {
            throw JobOutcome.cancel("the order no longer exists")
        }
        let stageName = stageName(of: message, sector: notice.contact.sector, locale: notice.contact.locale)
        try await send(key: job.key, message: message, facts: MessageFacts(order: notice, stageName: stageName), context: context)
    }

    /// An appointment's reminder, unless the appointment was cancelled or moved since the job was made.
    public func remind(_ job: AppointmentReminderJob, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a reminder needs its tenant") }
        let appointment = try await database.read(.tenant(tenantID)) { sql in
            try await AppointmentService.load(job.appointmentId, tenantID: tenantID, sql: sql)
        }
        guard let appointment, appointment.status == .booked, abs(appointment.startsAt.timeIntervalSince(job.startsAt)) < 0.001 else {
            throw JobOutcome.cancel("the appointment was cancelled or moved")
        }
        guard let contact = try await notices.contact(customerID: appointment.customerId, branchID: appointment.branchId, tenantID: tenantID) else {
            throw JobOutcome.cancel("the customer or the branch no longer exists")
        }
        let zone = LocalCalendar(zone: contact.timeZone).zone
        let facts = MessageFacts(contact: contact, values: ["appointmentAt": MessageFormat.dateTime(appointment.startsAt, timeZone: zone)])
        try await send(key: job.messageKey, message: .appointmentReminder,
                       facts: facts, context: context)
    }

    /// Reminds a customer of an overdue amount, once for `key` (the account module names the
    /// overdue debit and the step of its reminder plan), through the `payment_reminder` message.
    public func remindPayment(customerID: UUID, branchID: UUID, amountDue: Money, dueAt: Date, key: String, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a reminder needs its tenant") }
        guard let contact = try await notices.contact(customerID: customerID, branchID: branchID, tenantID: tenantID) else {
            throw JobOutcome.cancel("the customer or the branch no longer exists")
        }
        let zone = LocalCalendar(zone: contact.timeZone).zone
        let facts = MessageFacts(contact: contact, values: ["amountDue": MessageFormat.money(amountDue, language: contact.locale),
                                                            "dueAt": MessageFormat.date(dueAt, timeZone: zone)])
        try await send(key: "payment:" + key, message: .paymentReminder, facts: facts, context: context)
    }

    /// Sends a customer their account statement of `period` by e-mail, the statement attached,
    /// once for `key` (the account module names the customer and the period).
    public func mailStatement(customerID: UUID, branchID: UUID, period: ClosedRange<Date>, balance: Money, attachment: MailAttachment,
                              key: String, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a statement needs its tenant") }
        guard attachment.data.count <= MailAttachment.maximumBytes else {
            throw JobOutcome.permanent("the statement is larger than \(MailAttachment.maximumBytes) bytes")
        }
        guard let contact = try await notices.contact(customerID: customerID, branchID: branchID, tenantID: tenantID) else {
            throw JobOutcome.cancel("the customer or the branch no longer exists")
        }
        let zone = LocalCalendar(zone: contact.timeZone).zone
        let facts = MessageFacts(contact: contact, values: ["periodFrom": MessageFormat.date(period.lowerBound, timeZone: zone),
                                                            "periodTo": MessageFormat.date(period.upperBound, timeZone: zone),
                                                            "balance": MessageFormat.money(balance, language: contact.locale)])
        try await send(key: Self.statementKey(key), message: .accountStatement, facts: facts, attachments: [attachment], context: context)
    }

    /// Tells a customer their points are about to lapse, once for `key` (the loyalty module names
    /// the lot), through the `points_expiry` message.
    public func remindPointsExpiry(customerID: UUID, branchID: UUID, points: Int, expiresAt: Date, key: String, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a reminder needs its tenant") }
        guard let contact = try await notices.contact(customerID: customerID, branchID: branchID, tenantID: tenantID) else {
            throw JobOutcome.cancel("the customer or the branch no longer exists")
        }
        let zone = LocalCalendar(zone: contact.timeZone).zone
        let facts = MessageFacts(contact: contact, values: ["points": String(points), "pointsExpireAt": MessageFormat.date(expiresAt, timeZone: zone)])
        try await send(key: Self.pointsExpiryKey(key), message: .pointsExpiry, facts: facts, context: context)
    }

    /// A campaign's message to one customer, once for `key` (the loyalty module names the campaign,
    /// its run and the customer), in the campaign's own wording: commercial, so only with the
    /// customer's commercial consent for the channel and never inside the quiet hours; on
    /// `channels` in that order (nil: the customer's preferred channel and the tenant's order).
    public func sendCampaign(customerID: UUID, branchID: UUID, wording: CampaignWording, channels: [MessageChannel]?, points: Int?,
                             key: String, context: JobContext) async throws {
        guard let tenantID = context.job.tenantID else { throw JobOutcome.permanent("a campaign message needs its tenant") }
        guard let contact = try await notices.contact(customerID: customerID, branchID: branchID, tenantID: tenantID) else {
            throw JobOutcome.cancel("the customer or the branch no longer exists")
        }
        let facts = MessageFacts(contact: contact, values: points.map { ["points": String($0)] } ?? [:])
        try await send(key: key, message: .campaign, facts: facts, own: (wording.compiled, channels), context: context)
    }

    /// The message log's key of the points reminder `key` names.
    public static func pointsExpiryKey(_ key: String) -> String { "points:" + key }

    /// The message log's key of the statement `key` names.
    public static func statementKey(_ key: String) -> String { "statement:" + key }

    /// Sends `message` to the customer of `facts`, once for `key`, on the first channel that takes
    /// it; `attachments` go with it by e-mail. `own` is a wording of the message's own (a
    /// campaign's) in place of the sector's, with the channels it may take (nil: the usual order).
    func send(key: String, message: MessageKind, facts: MessageFacts, attachments: [MailAttachment] = [],
              own: (template: TemplateBook.Compiled, channels: [MessageChannel]?)? = nil, context: JobContext) async throws {
        let tenantID = facts.tenantID
        let existing = try await database.read(.tenant(tenantID)) { sql in try await MessageLog.byKey(key, tenantID: tenantID, sql: sql) }
        if existing.contains(where: { $0.status != .sending && $0.status.counts }) {
            try await context.complete { _ in }
            return
        }
        if existing.contains(where: { $0.status == .sending }) {
            let now = clock.now()
            try await context.complete { sql in
                for row in existing where row.status == .sending {
                    try await MessageLog.mark(row.id, .unconfirmed, reason: "the worker stopped before the provider's answer was recorded; not sent again",
                                              tenantID: tenantID, at: now, sql: sql)
                }
            }
            context.logger.warning("message left unconfirmed after an interrupted send", metadata: ["key": .string(key)])
            return
        }
        guard own != nil || templates.writes(sector: facts.sector, message: message) else {
            try await context.complete { _ in }
            return
        }
        let options = try await settings.values(owner: NotifySettings.owner, tenantID: tenantID)
        let language = facts.locale
        let purpose = own?.template.purpose ?? purpose(of: message, sector: facts.sector)
        let zone = facts.timeZone
        if purpose == .commercial {
            let quiet = QuietHours(start: options.integer("notify_quiet_start"), end: options.integer("notify_quiet_end"))
            let now = clock.now()
            let earliest = quiet.earliest(from: now, timeZone: zone)
            if earliest > now { throw JobOutcome.snooze(.seconds(earliest.timeIntervalSince(now))) }
        }
        let consent = try await database.read(.tenant(tenantID)) { sql in
            try await ConsentService.latestEntries(customerIDs: [facts.customerID], tenantID: tenantID, sql: sql)[facts.customerID] ?? [:]
        }
        let overrides = try await database.read(.tenant(tenantID)) { sql in try await TemplateOverrides.rows(tenantID: tenantID, message: message.id, sql: sql) }
        var skipped: [(MessageChannel, String)] = []
        var recorded: Set<MessageChannel> = []
        let lastAttempt = context.job.attempt >= context.job.maxAttempts

        for channel in own?.channels ?? Self.order(preferred: facts.preferredChannel, setting: options.text("notify_channel_order")) {
            let earlier = existing.first { $0.channel == channel }
            if let earlier, earlier.status == .failed || earlier.status == .skipped { continue }
            let template: TemplateBook.Compiled
            if let own {
                template = own.template
            } else {
                guard let sectorTemplate = templates.template(sector: facts.sector, message: message, channel: channel) else { continue }
                template = TemplateOverrides.applied(sectorTemplate, book: templates, sector: facts.sector, overrides: overrides,
                                                     message: message, channel: channel, language: language)
            }
            let reason = reasonNotToSend(channel: channel, purpose: purpose, facts: facts,
                                         consent: consent[ConsentService.Key(channel: channel, purpose: purpose)])
            if let reason {
                skipped.append((channel, reason))
                continue
            }
            let client = channels[channel]!
            let account: ChannelAccount
            do {
                account = try await self.account(of: client, options: options, tenantID: tenantID)
            } catch let failure as SendFailure {
                skipped.append((channel, failure.description))
                continue
            }
            let composed = compose(channel: channel, template: template, client: client, key: key, message: message, purpose: purpose,
                                   facts: facts, existingID: earlier?.id, options: options, jobID: context.job.id)
            let attempt = composed.attempt
            let started = clock.now()
            let reasons = skipped
            let claimed = try await database.transaction(.tenant(tenantID)) { sql in
                // Channels passed over so far keep their reason on the card, whatever happens next.
                for (channel, reason) in reasons where !existing.contains(where: { $0.channel == channel }) {
                    try await MessageLog.write(Self.skippedAttempt(key: key, facts: facts, message: message, purpose: purpose, channel: channel, job: context.job.id),
                                               status: .skipped, reason: reason, existing: nil, tenantID: tenantID, at: started, sql: sql)
                }
                return try await MessageLog.write(attempt, status: .sending, reason: nil, existing: earlier, tenantID: tenantID, at: started, sql: sql)
            }
            recorded.formUnion(reasons.map(\.0))
            guard claimed else {
                // Another run of this message took the row up meanwhile: it sends, this one does not.
                try await context.complete { _ in }
                return
            }
            var outgoing = composed.outgoing
            if channel == .email { outgoing.attachments = attachments }
            if channel == .whatsapp {
                outgoing.sessionOpen = try await Self.windowOpen(phone: outgoing.recipient, tenantID: tenantID, now: started, database: database)
            }
            do {
                let accepted = try await client.send(outgoing, account: account)
                let now = clock.now()
                try await context.complete { sql in
                    try await MessageLog.sent(attempt.id, accepted: accepted, tenantID: tenantID, at: now, sql: sql)
                }
                if channel == .whatsapp, let providerID = accepted.providerID {
                    await applyEarlyStatuses(of: providerID, tenantID: tenantID, context: context)
                }
                return
            } catch let failure as SendFailure {
                let now = clock.now()
                let next = Self.next(after: failure, lastAttempt: lastAttempt)
                if next.completes {
                    try await context.complete { sql in
                        try await MessageLog.mark(attempt.id, next.status, reason: next.reason, tenantID: tenantID, at: now, sql: sql)
                    }
                    return
                }
                try await database.transaction(.tenant(tenantID)) { sql in
                    try await MessageLog.mark(attempt.id, next.status, reason: next.reason, tenantID: tenantID, at: now, sql: sql)
                }
                if let error = next.error { throw error }
                context.logger.info("message failed on a channel; trying the next", metadata: ["channel": .string(channel.rawValue)])
            }
        }
        // Nothing went out: keep why, per channel considered, on the customer card.
        let now = clock.now()
        let reasons = skipped.filter { !recorded.contains($0.0) }
        try await context.complete { sql in
            for (channel, reason) in reasons where !existing.contains(where: { $0.channel == channel }) {
                try await MessageLog.write(Self.skippedAttempt(key: key, facts: facts, message: message, purpose: purpose, channel: channel, job: context.job.id),
                                           status: .skipped, reason: reason, existing: nil, tenantID: tenantID, at: now, sql: sql)
            }
        }
    }

    /// Statuses Meta sent before this send was recorded (see `WhatsAppWebhook.hold`). The job has
    /// completed: a failure here is logged, and the status waits until another status of the
    /// message comes (or a day has passed).
    private func applyEarlyStatuses(of providerID: String, tenantID: UUID, context: JobContext) async {
        do {
            _ = try await WhatsAppWebhook.applyEarly(providerIDs: [providerID], tenantID: tenantID, queue: queue, jobQueue: context.job.queue,
                                                     at: clock.now(), database: database)
        } catch {
            context.logger.warning("could not apply WhatsApp statuses that came before the send was recorded",
                                   metadata: ["error": .string(String(describing: error).prefix(300).description)])
        }
    }

    /// What follows a provider's refusal: the message's row becomes `status` (with `reason`), and
    /// then the job completes (`completes`), fails with `error` (to run again), or goes on to the
    /// customer's next channel (neither).
    struct AfterFailure {
        let status: MessageStatus
        let reason: String
        var completes = false
        var error: (any Error)?
    }

    static func next(after failure: SendFailure, lastAttempt: Bool) -> AfterFailure {
        switch failure {
        case .unconfirmed(let reason):
            // The provider most likely took it: never sent again.
            AfterFailure(status: .unconfirmed, reason: reason, completes: true)
        case .retry(let reason, _) where lastAttempt:
            AfterFailure(status: .failed, reason: reason + " (no attempts left)")
        case .retry(let reason, let after):
            AfterFailure(status: .retrying, reason: reason, error: after.map { JobOutcome.retry(after: $0, reason: reason) } ?? failure)
        case .permanent(let reason), .notConfigured(let reason):
            AfterFailure(status: .failed, reason: reason)
        }
    }

    static func skippedAttempt(key: String, facts: MessageFacts, message: MessageKind, purpose: MessagePurpose, channel: MessageChannel,
                               job: Int64) -> MessageLog.Attempt {
        MessageLog.Attempt(id: UUID(), key: key, customerID: facts.customerID, orderID: facts.orderID, message: message, purpose: purpose,
                           channel: channel, recipient: nil, text: nil, sms: nil, provider: nil, jobID: job)
    }

    /// Whether the customer wrote on WhatsApp within the last 24 hours.
    static func windowOpen(phone: String, tenantID: UUID, now: Date, database: any Database) async throws -> Bool {
        let rows = try await database.rows(.tenant(tenantID), """
            SELECT last_inbound_at FROM notify_whatsapp_windows WHERE tenant_id = \(bind: tenantID) AND phone = \(bind: phone)
            """)
        guard let last = try rows.first?.decode(column: "last_inbound_at", as: Date.self) else { return false }
        return now.timeIntervalSince(last) < 24 * 3600
    }

    /// The customer's own channel first, then the tenant's order.
    static func order(preferred: ContactChannel, setting: String?) -> [MessageChannel] {
        var order: [MessageChannel] = []
        if let first = MessageChannel(rawValue: preferred.rawValue) { order.append(first) }
        for name in (setting ?? "sms,whatsapp,email").split(separator: ",") {
            if let channel = MessageChannel(rawValue: String(name)), !order.contains(channel) { order.append(channel) }
        }
        return order
    }

    func account(of client: any ChannelClient, options: SectorSettings, tenantID: UUID) async throws -> ChannelAccount {
        try await ChannelAccount.read(for: client, options: options, settings: settings, tenantID: tenantID)
    }
}

extension MessageKind {
    var stageID: String? {
        if case .stage(let id) = self { id } else { nil }
    }
}
