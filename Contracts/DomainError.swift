/// An error the product reports to its caller: a stable code, a human message, and, for invalid
/// input, the fields at fault. Nothing in it is secret: it is shown to users as it is.
public struct DomainError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    public var fields: [FieldError]
    /// For throttling: how long the caller should wait before trying again.
    public var retryAfterSeconds: Int?
    /// Lists that help the caller recover, shown as members of the problem: e.g. `allowedStages`
    /// for a refused transition.
    public var context: [String: [String]]

    public init(_ code: ErrorCode, _ message: String, fields: [FieldError] = [], retryAfterSeconds: Int? = nil, context: [String: [String]] = [:]) {
        self.code = code
        self.message = message
        self.fields = fields
        self.retryAfterSeconds = retryAfterSeconds
        self.context = context
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, "\(what) was not found.")
    }

    public static let forbidden = DomainError(.forbidden, "Your role does not allow this action.")

    /// One invalid field; the error takes the field's code.
    public static func invalid(_ field: String, _ code: ErrorCode, _ message: String) -> DomainError {
        DomainError(code, message, fields: [FieldError(field: field, code: code, message: message)])
    }

    /// Several invalid fields at once: the error takes their code when they share one, and
    /// `validation_failed` otherwise.
    public static func invalid(_ fields: [FieldError]) -> DomainError {
        let codes = Set(fields.map(\.code))
        let code = codes.count == 1 ? codes.first! : .validationFailed
        let message = fields.count == 1 ? fields[0].message : "\(fields.count) fields are invalid."
        return DomainError(code, message, fields: fields)
    }
}

/// What is wrong with one input field. `field` is a JSON path such as `phones[1].number`.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var code: ErrorCode
    public var message: String

    public init(field: String, code: ErrorCode, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// Collects field errors while validating a whole input, so that the caller learns every problem at once.
public struct FieldErrors: Sendable {
    public private(set) var all: [FieldError] = []

    public init() {}

    public var isEmpty: Bool { all.isEmpty }

    public mutating func add(_ field: String, _ code: ErrorCode, _ message: String) {
        all.append(FieldError(field: field, code: code, message: message))
    }

    /// Adds the errors another collection gathered.
    public mutating func append(_ other: FieldErrors) {
        all += other.all
    }

    /// Runs `check`; an error it throws is recorded against `field` and nil is returned.
    public mutating func collect<T>(_ field: String, _ check: () throws -> T) -> T? {
        do {
            return try check()
        } catch {
            guard let error = error as? DomainError else {
                add(field, .invalidValue, "\(field) is not valid.")
                return nil
            }
            if error.fields.isEmpty {
                add(field, error.code, error.message)
            } else {
                all += error.fields.map { FieldError(field: field + ($0.field.isEmpty ? "" : "." + $0.field), code: $0.code, message: $0.message) }
            }
            return nil
        }
    }

    /// Throws the collected errors, if any.
    public func throwIfAny() throws {
        if !all.isEmpty { throw DomainError.invalid(all) }
    }
}
