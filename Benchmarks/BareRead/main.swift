// The baseline of `Benchmarks/api.sh` and `Benchmarks/pos.sh`: a bare Hummingbird 2 server that
// answers the reads those benchmarks ask of the product, straight through sqlite-nio or postgres-nio, with none of the
// product's code (no kernel, no middleware, no auth cache). Each route runs the same SQL the
// product runs for it and answers the same JSON (Foundation's encoder, dates in RFC 3339).
//
//   crm-bare-read --tenant UUID --sqlite ./crm-data/crm.sqlite --port 8090
//   crm-bare-read --tenant UUID --postgres 'postgres://postgres@127.0.0.1:5432/crm' --port 8090
//
// On PostgreSQL it connects as a role that bypasses row-level security (a superuser): a bare route
// sets no tenant scope.
import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOPosix
import PostgresNIO
import SQLiteNIO
import Synchronization

struct Phone: Codable { let number: String; let label: String }
struct Address: Codable { let city, district, neighbourhood, line, postalCode: String? }
struct Customer: Codable {
    let id: UUID; let code: String; let name: String; var phones: [Phone]; let email: String?; let customerType: String
    let preferredChannel: String; let branchId: UUID; let address: Address; let notes: String?; let tags: [String]
    let version: Int; let createdAt: Date; let updatedAt: Date
}
struct CustomerPage: Codable { let items: [Customer]; let nextCursor: String? }
struct User: Codable { let id: UUID; let email: String; let name: String; let role: String; let branchId: UUID?; let status: String; let createdAt: Date; let lastLoginAt: Date? }
struct Tenant: Codable { let id: UUID; let slug: String; let name: String; let sector: String; let timeZone: String; let locale: String; let status: String; let createdAt: Date }
struct Me: Codable { let user: User; let tenant: Tenant }
struct HeldTier: Codable { let code: String; let name: String }
struct PosCustomer: Codable {
    let id: UUID; let code: String; let name: String; let salutation: String?; let points: Int; let coupons: [String]; let stamps: [String]
    let tier: HeldTier?
}
struct PosLookup: Codable { let items: [PosCustomer] }

let customerColumns = """
    c.id, c.seq, c.code, c.name, c.email, c.customer_type, c.preferred_channel, c.branch_id, c.city, c.district, c.neighbourhood,
    c.address_line, c.postal_code, c.notes, c.tags, c.version, c.created_at, c.updated_at, p.number, p.label
    """
let meSQL = """
    SELECT u.id, u.email, u.name, u.role, u.branch_id, u.status, u.created_at, u.last_login_at,
           n.id AS t_id, n.slug, n.name AS t_name, n.sector, n.time_zone, n.locale, n.status AS t_status, n.created_at AS t_created_at
    FROM auth_tokens t JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.user_id JOIN tenants n ON n.id = u.tenant_id
    WHERE t.token_hash = $1 AND t.kind = 'user' AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.status = 'active' AND n.status = 'active'
    """
let byIDSQL = """
    SELECT \(customerColumns) FROM customers c
    LEFT JOIN customer_phones p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
    WHERE c.tenant_id = $1 AND c.id = $2 AND c.deleted_at IS NULL ORDER BY p.position
    """
/// A till's look-up by phone (`GET /api/v1/pos/customers?phone=+90…`): the product's one statement
/// (customer, usable points, counts of usable coupons and active stamp cards, the tier, the
/// tenant's revocation counter); the bare
/// route takes the number as given (already E.164) and checks no device key.
let posByPhoneSQL = """
    SELECT c.id, c.code, c.name, c.salutation,
           (SELECT COALESCE(MAX(e.epoch), 0) FROM auth_epochs e WHERE e.tenant_id = c.tenant_id) AS epoch,
           (SELECT CAST(COALESCE(SUM(l.points + CAST(COALESCE((SELECT SUM(t.points) FROM loyalty_entries t
                                                              WHERE t.tenant_id = l.tenant_id AND t.lot_id = l.id), 0) AS BIGINT)), 0) AS BIGINT)
            FROM loyalty_entries l
            WHERE l.tenant_id = c.tenant_id AND l.customer_id = c.id AND l.lot_id IS NULL AND l.expires_at > $3) AS points,
           (SELECT COUNT(*) FROM loyalty_coupons u
            WHERE u.tenant_id = c.tenant_id AND u.customer_id = c.id AND u.status = 'issued'
              AND u.valid_from <= $3 AND u.valid_until > $3) AS coupons,
           (SELECT COUNT(*) FROM loyalty_stamp_cards k WHERE k.tenant_id = c.tenant_id AND k.active = $4) AS cards,
           \(tierColumn("code")), \(tierColumn("name"))
    FROM customer_phones p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
    WHERE p.tenant_id = $1 AND p.number = $2 AND c.deleted_at IS NULL
    ORDER BY c.seq LIMIT 5
    """

/// The customer's tier (its code or name) by their spend over the year, as the product reads it.
func tierColumn(_ column: String) -> String {
    """
    (SELECT t.\(column) FROM loyalty_tiers t WHERE t.tenant_id = c.tenant_id
       AND t.minimum_spend <= COALESCE((SELECT g.year_spend FROM loyalty_standing g WHERE g.tenant_id = c.tenant_id AND g.customer_id = c.id), 0)
     ORDER BY t.minimum_spend DESC LIMIT 1) AS tier_\(column)
    """
}

/// Every word of `q` must occur in the stored search text (words typed without Turkish letters
/// match, as the stored text is folded); `placeholder` spells the n-th bind.
func searchSQL(terms: Int, placeholder: (Int) -> String) -> String {
    let conditions = (2...max(2, terms + 1)).map { " AND search_text LIKE \(placeholder($0)) ESCAPE '\\'" }.joined()
    return """
        SELECT \(customerColumns) FROM (SELECT * FROM customers WHERE tenant_id = \(placeholder(1)) AND deleted_at IS NULL\(conditions)
                                       ORDER BY seq DESC LIMIT 51) c
        LEFT JOIN customer_phones p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
        ORDER BY c.seq DESC, p.position
        """
}

func terms(_ request: Request) -> [String] {
    let words = (request.uri.queryParameters.get("q") ?? "").split(separator: " ").map { "%\($0)%" }
    return words.isEmpty ? ["%"] : words
}

/// The product's JSON shape: dates in RFC 3339 (Hummingbird's default encoder writes numbers).
let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    return encoder
}()

func json(_ value: some Encodable) throws -> Response {
    Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
             body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
}

func tokenHash(_ request: Request) -> String? {
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
    return SHA256.hash(data: Data(header.dropFirst(7).utf8)).map { String(format: "%02x", $0) }.joined()
}

/// Folds rows of customers joined with their phones (one row per phone) into customers.
func fold(_ rows: [(Customer, Phone?)]) -> [Customer] {
    var customers: [Customer] = []
    for (customer, phone) in rows {
        if customers.last?.id != customer.id { customers.append(customer) }
        if let phone { customers[customers.count - 1].phones.append(phone) }
    }
    return customers
}

func page(_ customers: [Customer]) -> CustomerPage {
    CustomerPage(items: Array(customers.prefix(50)), nextCursor: customers.count > 50 ? "more" : nil)
}

// MARK: - SQLite

/// Four reader connections taken in turn.
final class SQLiteReaders: Sendable {
    let connections: [SQLiteConnection]
    let next = Atomic<Int>(0)

    init(path: String) async throws {
        var connections: [SQLiteConnection] = []
        for _ in 0..<4 {
            connections.append(try await SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: Logger(label: "bare"),
                                                               on: MultiThreadedEventLoopGroup.singleton.any()))
        }
        self.connections = connections
    }

    func connection() -> SQLiteConnection {
        connections[next.add(1, ordering: .relaxed).newValue % connections.count]
    }
}

@Sendable func text(_ row: SQLiteRow, _ column: String) -> String? { row.column(column)?.string }
@Sendable func uuid(_ row: SQLiteRow, _ column: String) -> UUID? { text(row, column).flatMap(UUID.init(uuidString:)) }
@Sendable func date(_ row: SQLiteRow, _ column: String) -> Date? { row.column(column)?.double.map(Date.init(timeIntervalSince1970:)) }
@Sendable func customer(_ row: SQLiteRow) -> (Customer, Phone?) {
    let tags = (try? JSONDecoder().decode([String].self, from: Data((text(row, "tags") ?? "[]").utf8))) ?? []
    let customer = Customer(
        id: uuid(row, "id")!, code: text(row, "code")!, name: text(row, "name")!, phones: [], email: text(row, "email"),
        customerType: text(row, "customer_type")!, preferredChannel: text(row, "preferred_channel")!, branchId: uuid(row, "branch_id")!,
        address: Address(city: text(row, "city"), district: text(row, "district"), neighbourhood: text(row, "neighbourhood"),
                         line: text(row, "address_line"), postalCode: text(row, "postal_code")),
        notes: text(row, "notes"), tags: tags, version: row.column("version")?.integer ?? 0,
        createdAt: date(row, "created_at")!, updatedAt: date(row, "updated_at")!)
    let phone = text(row, "number").map { Phone(number: $0, label: text(row, "label") ?? "mobile") }
    return (customer, phone)
}
/// sqlite-nio numbers its placeholders `?1`, postgres-nio `$1`.
@Sendable func sqlite(_ statement: String) -> String {
    statement.replacingOccurrences(of: "$4", with: "?4").replacingOccurrences(of: "$3", with: "?3").replacingOccurrences(of: "$2", with: "?2").replacingOccurrences(of: "$1", with: "?1")
}

func sqliteRouter(path: String, tenant: UUID) async throws -> Router<BasicRequestContext> {
    let readers = try await SQLiteReaders(path: path)
    @Sendable func connection() -> SQLiteConnection { readers.connection() }
    let sqliteMe = sqlite(meSQL), sqliteByID = sqlite(byIDSQL), sqlitePos = sqlite(posByPhoneSQL)

    let router = Router()
    router.get("api/v1/me") { request, _ -> Response in
        guard let hash = tokenHash(request) else { throw HTTPError(.unauthorized) }
        let rows = try await connection().query(sqliteMe, [.text(hash), .float(Date().timeIntervalSince1970)])
        guard let row = rows.first else { throw HTTPError(.unauthorized) }
        return try json(Me(
            user: User(id: uuid(row, "id")!, email: text(row, "email")!, name: text(row, "name")!, role: text(row, "role")!,
                       branchId: uuid(row, "branch_id"), status: text(row, "status")!, createdAt: date(row, "created_at")!,
                       lastLoginAt: date(row, "last_login_at")),
            tenant: Tenant(id: uuid(row, "t_id")!, slug: text(row, "slug")!, name: text(row, "t_name")!, sector: text(row, "sector")!,
                           timeZone: text(row, "time_zone")!, locale: text(row, "locale")!, status: text(row, "t_status")!,
                           createdAt: date(row, "t_created_at")!)))
    }
    router.get("api/v1/customers/:id") { _, context -> Response in
        let id = try context.parameters.require("id", as: UUID.self)
        let rows = try await connection().query(sqliteByID, [.text(tenant.uuidString), .text(id.uuidString)])
        guard let found = fold(rows.map(customer)).first else { throw HTTPError(.notFound) }
        return try json(found)
    }
    router.get("api/v1/customers") { request, _ -> Response in
        let words = terms(request)
        let rows = try await connection().query(searchSQL(terms: words.count) { "?\($0)" }, [.text(tenant.uuidString)] + words.map { .text($0) })
        return try json(page(fold(rows.map(customer))))
    }
    router.get("api/v1/pos/customers") { request, _ -> Response in
        guard let phone = request.uri.queryParameters.get("phone") else { throw HTTPError(.badRequest) }
        let rows = try await connection().query(sqlitePos, [.text(tenant.uuidString), .text(phone), .float(Date().timeIntervalSince1970), .integer(1)])
        guard !rows.isEmpty else { throw HTTPError(.notFound) }
        return try json(PosLookup(items: rows.map { row in
            PosCustomer(id: uuid(row, "id")!, code: text(row, "code")!, name: text(row, "name")!, salutation: text(row, "salutation"),
                        points: row.column("points")?.integer ?? 0, coupons: [], stamps: [],
                        tier: text(row, "tier_code").map { HeldTier(code: $0, name: text(row, "tier_name") ?? "") })
        }))
    }
    return router
}

// MARK: - PostgreSQL

func postgresRouter(client: PostgresClient, tenant: UUID) -> Router<BasicRequestContext> {
    @Sendable func customers(_ rows: PostgresRowSequence) async throws -> [Customer] {
        var decoded: [(Customer, Phone?)] = []
        for try await row in rows {
            let r = try row.decode((UUID, Int, String, String, String?, String, String, UUID, String?, String?, String?, String?, String?, String?, String, Int, Date, Date, String?, String?).self)
            let tags = (try? JSONDecoder().decode([String].self, from: Data(r.14.utf8))) ?? []
            decoded.append((Customer(id: r.0, code: r.2, name: r.3, phones: [], email: r.4, customerType: r.5, preferredChannel: r.6, branchId: r.7,
                                     address: Address(city: r.8, district: r.9, neighbourhood: r.10, line: r.11, postalCode: r.12),
                                     notes: r.13, tags: tags, version: r.15, createdAt: r.16, updatedAt: r.17),
                            r.18.map { Phone(number: $0, label: r.19 ?? "mobile") }))
        }
        return fold(decoded)
    }
    let router = Router()
    router.get("api/v1/me") { request, _ -> Response in
        guard let hash = tokenHash(request) else { throw HTTPError(.unauthorized) }
        var query = PostgresQuery(unsafeSQL: meSQL)
        query.binds.append(hash)
        query.binds.append(Date())
        for try await row in try await client.query(query) {
            let r = try row.decode((UUID, String, String, String, UUID?, String, Date, Date?, UUID, String, String, String, String, String, String, Date).self)
            return try json(Me(user: User(id: r.0, email: r.1, name: r.2, role: r.3, branchId: r.4, status: r.5, createdAt: r.6, lastLoginAt: r.7),
                               tenant: Tenant(id: r.8, slug: r.9, name: r.10, sector: r.11, timeZone: r.12, locale: r.13, status: r.14, createdAt: r.15)))
        }
        throw HTTPError(.unauthorized)
    }
    router.get("api/v1/customers/:id") { _, context -> Response in
        let id = try context.parameters.require("id", as: UUID.self)
        var query = PostgresQuery(unsafeSQL: byIDSQL)
        query.binds.append(tenant)
        query.binds.append(id)
        guard let found = try await customers(client.query(query)).first else { throw HTTPError(.notFound) }
        return try json(found)
    }
    router.get("api/v1/customers") { request, _ -> Response in
        let words = terms(request)
        var query = PostgresQuery(unsafeSQL: searchSQL(terms: words.count) { "$\($0)" })
        query.binds.append(tenant)
        for word in words { query.binds.append(word) }
        return try json(page(try await customers(client.query(query))))
    }
    router.get("api/v1/pos/customers") { request, _ -> Response in
        guard let phone = request.uri.queryParameters.get("phone") else { throw HTTPError(.badRequest) }
        var query = PostgresQuery(unsafeSQL: posByPhoneSQL)
        query.binds.append(tenant)
        query.binds.append(phone)
        query.binds.append(Date())
        query.binds.append(true)
        var items: [PosCustomer] = []
        for try await row in try await client.query(query) {
            let r = try row.decode((UUID, String, String, String?, Int64, Int64, Int64, Int64, String?, String?).self)
            items.append(PosCustomer(id: r.0, code: r.1, name: r.2, salutation: r.3, points: Int(r.5), coupons: [], stamps: [],
                                     tier: r.8.map { HeldTier(code: $0, name: r.9 ?? "") }))
        }
        guard !items.isEmpty else { throw HTTPError(.notFound) }
        return try json(PosLookup(items: items))
    }
    return router
}

// MARK: - Main

var arguments = CommandLine.arguments.dropFirst()
var options: [String: String] = [:]
while let key = arguments.popFirst(), let value = arguments.popFirst() { options[key] = value }
let port = Int(options["--port"] ?? "8090") ?? 8090
let logger = Logger(label: "crm-bare-read")
let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "bare")
// Rows are keyed by tenant first, as the product's are: the reads name the benchmark's tenant.
guard let tenant = options["--tenant"].flatMap(UUID.init(uuidString:)) else {
    FileHandle.standardError.write(Data("usage: crm-bare-read --tenant UUID (--sqlite PATH | --postgres URL) [--port P]\n".utf8))
    exit(2)
}
if let path = options["--sqlite"] {
    let app = Application(router: try await sqliteRouter(path: path, tenant: tenant), configuration: configuration, logger: logger)
    try await app.runService()
} else if let url = options["--postgres"], let components = URLComponents(string: url) {
    let client = PostgresClient(configuration: .init(
        host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "postgres",
        password: components.password, database: String(components.path.dropFirst()), tls: .disable))
    var app = Application(router: postgresRouter(client: client, tenant: tenant), configuration: configuration, logger: logger)
    app.addServices(client)
    try await app.runService()
} else {
    FileHandle.standardError.write(Data("usage: crm-bare-read --tenant UUID (--sqlite PATH | --postgres URL) [--port P]\n".utf8))
    exit(2)
}
