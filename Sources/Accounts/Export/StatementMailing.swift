import Contracts
import Foundation
import Kernel
import Notify
import Queue
import SQLKit
import Storage

/// One customer's statement of one month, by e-mail with the .xlsx attached. Named for good by
/// (the customer, the month): a month's statement goes to a customer once, however often the
/// mailing is started, and a retried job sends no second copy.
public struct StatementMailJob: JobArgs, Equatable {
    public static let kind = "accounts.statement_mail"
    public let customerId: UUID
    /// `2026-11`, the tenant's calendar.
    public let month: String

    public var key: String { "\(customerId.uuidString):\(month)" }
}

/// A request to mail a month's statements: to every account customer (open-account terms, their
/// own or their type's) with entries by the month's end, of one customer type when given, or to
/// the customers named.
public struct StatementMailingRequest: Sendable, Decodable {
    public var month: String?
    public var customerType: String?
    public var customerIds: [UUID]?

    public init(month: String?, customerType: String? = nil, customerIds: [UUID]? = nil) {
        self.month = month
        self.customerType = customerType
        self.customerIds = customerIds
    }
}

/// What a mailing queued.
public struct StatementMailing: Sendable, Encodable, Equatable {
    public let month: String
    /// Customers the mailing covers.
    public let customers: Int
    /// Statements queued now.
    public let queued: Int
    /// Statements of the month that went out already (never sent twice).
    public let alreadySent: Int
    /// Statements an earlier mailing of the month queued that are still waiting (not queued twice).
    public let alreadyQueued: Int
}

/// Bulk statements (F7): one queued job per customer on the notification queue; each job builds
/// the statement when it runs and hands it to Notify, which sends it by e-mail and keeps it on the
/// customer's message log (a customer without an e-mail address is recorded as skipped).
public struct StatementMailer: Sendable {
    let database: any Database
    let customers: CustomerService
    let clock: KernelClock
    let jobs: JobQueue
    let messageQueue: String

    public static let maximumCustomers = 1_000

    public func mail(_ request: StatementMailingRequest, by principal: Principal) async throws -> StatementMailing {
        try AccountService.requireAccountant(principal)
        var errors = FieldErrors()
        let month = errors.requiredText("month", request.month, maximum: 7)
        let type = request.customerType.flatMap { errors.requiredText("customerType", $0, maximum: 40) }
        if let ids = request.customerIds, ids.count > Self.maximumCustomers {
            errors.add("customerIds", .invalidValue, "customerIds names at most \(Self.maximumCustomers) customers.")
        }
        try errors.throwIfAny()
        let tenantID = principal.tenantID
        guard let month, LocalCalendar(.gmt).month(month) != nil else {
            throw DomainError.invalid("month", .invalidValue, "month must be a month such as 2026-11.")
        }
        let candidates: [UUID]
        if let ids = request.customerIds {
            candidates = Array(Set(ids))
            let visible = try await customers.cards(candidates, by: principal)
            if let missing = ids.firstIndex(where: { visible[$0] == nil }) {
                throw DomainError.invalid("customerIds[\(missing)]", .invalidValue, "customerIds[\(missing)] is not a customer you may see.")
            }
        } else {
            let tenant = try await database.read(.tenant(tenantID)) { sql in try await TenantService.tenant(tenantID, sql: sql) }
            guard let end = LocalCalendar(zone: tenant?.timeZone ?? TenantService.defaultTimeZone).month(month)?.upperBound else {
                throw DomainError.invalid("month", .invalidValue, "month must be a month such as 2026-11.")
            }
            let found = try await database.read(.tenant(tenantID)) { sql in
                try await Self.accountCustomers(tenantID: tenantID, type: type, before: end, limit: Self.maximumCustomers + 1, sql: sql)
            }
            guard found.count <= Self.maximumCustomers else {
                throw DomainError.invalid("customerType", .invalidValue,
                                          "More than \(Self.maximumCustomers) customers match; mail them by customer type or by customerIds.")
            }
            let visible = try await customers.cards(found, by: principal)
            candidates = found.filter { visible[$0] != nil }
        }
        let now = clock.now()
        let messageQueue = self.messageQueue
        let jobs = self.jobs
        return try await database.transaction(.tenant(tenantID)) { sql in
            let sent = try await MessageService.sentKeys(candidates.map { Notifier.statementKey(StatementMailJob(customerId: $0, month: month).key) },
                                                         tenantID: tenantID, sql: sql)
            var queued = 0
            var alreadySent = 0
            for customerID in candidates {
                let job = StatementMailJob(customerId: customerID, month: month)
                if sent.contains(Notifier.statementKey(job.key)) {
                    alreadySent += 1
                    continue
                }
                let id = try await jobs.enqueue(job, options: JobOptions(queue: messageQueue, priority: 2, maxAttempts: 10,
                                                                         uniqueKey: "statement:" + job.key, tenantID: tenantID), on: sql)
                if id != nil { queued += 1 }
            }
            let mailing = StatementMailing(month: month, customers: candidates.count, queued: queued, alreadySent: alreadySent,
                                           alreadyQueued: candidates.count - queued - alreadySent)
            try await AuditLog.record(sql, tenantID: tenantID, branchID: principal.confinedBranch, actor: principal.actor,
                                      action: "account.statement_mailing", entity: "statement_mailing", entityID: month, after: mailing, at: now)
            return mailing
        }
    }

    /// Customers on open-account terms (their own, else their type's) with an entry before `before`.
    static func accountCustomers(tenantID: UUID, type: String?, before: Date, limit: Int, sql: any SQLDatabase) async throws -> [UUID] {
        let ofType: any SQLExpression = type.map { SQLQueryString("AND c.customer_type = \(bind: $0)") } ?? SQLRaw("")
        return try await sql.raw("""
            SELECT c.id FROM customers c
            LEFT JOIN account_profiles p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
            LEFT JOIN account_type_terms t ON t.tenant_id = c.tenant_id AND t.customer_type = c.customer_type
            WHERE c.tenant_id = \(bind: tenantID) AND c.deleted_at IS NULL AND COALESCE(p.terms, t.terms) = 'open' \(ofType)
              AND EXISTS (SELECT 1 FROM account_entries e WHERE e.tenant_id = c.tenant_id AND e.customer_id = c.id
                          AND e.occurred_at < \(bind: before))
            ORDER BY c.code \(SQLLimit(limit))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// A statement ready to mail: its figures, the workbook, and the branch that signs the message.
    public struct Prepared: Sendable {
        public let statement: AccountStatement
        public let month: String
        public let period: ClosedRange<Date>
        public let branchID: UUID
        public let workbook: Data
        public var filename: String { "ekstre-\(statement.customerCode)-\(month).xlsx" }
    }

    /// The statement of the job's customer and month, as it stands now; nil when the customer is gone.
    public func prepare(_ job: StatementMailJob, tenantID: UUID) async throws -> Prepared? {
        try await database.read(.tenant(tenantID)) { sql in
            guard let tenant = try await TenantService.tenant(tenantID, sql: sql),
                  let customer = try await sql.raw("""
                      SELECT code, name, branch_id FROM customers
                      WHERE tenant_id = \(bind: tenantID) AND id = \(bind: job.customerId) AND deleted_at IS NULL
                      """).first() else { return nil }
            let local = LocalCalendar(zone: tenant.timeZone)
            guard let range = local.month(job.month) else { throw JobOutcome.permanent("not a month: \(job.month)") }
            let to = range.upperBound.addingTimeInterval(-0.001)
            let opening = try await LedgerStore.balance(customerID: job.customerId, tenantID: tenantID, before: range.lowerBound, sql: sql)
            let entries = try await LedgerStore.entries(customerID: job.customerId, tenantID: tenantID, from: range.lowerBound, to: to,
                                                        limit: AccountService.maximumStatementLines + 1, sql: sql)
            guard entries.count <= AccountService.maximumStatementLines else {
                throw JobOutcome.permanent("the month holds more than \(AccountService.maximumStatementLines) entries")
            }
            let statement = AccountService.statement(customerID: job.customerId, code: try customer.decode(column: "code", as: String.self),
                                                     name: try customer.decode(column: "name", as: String.self),
                                                     from: range.lowerBound, to: to, opening: opening, entries: entries)
            return Prepared(statement: statement, month: job.month, period: range.lowerBound...to, branchID: try customer.decode(column: "branch_id", as: UUID.self),
                            workbook: try StatementWorkbook.xlsx(statement, timeZone: local.zone))
        }
    }
}
