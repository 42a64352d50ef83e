import Contracts
import Foundation
import Hummingbird
import Kernel
import Logging

/// Turns an error into a page a front desk can read: the same problem codes as the API, a
/// headline in words, what went wrong, and a way back. Nothing internal is shown.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.code == .internalError {
                context.logger.error("request failed", metadata: ["error": .string(String(describing: error))])
            }
            let language = context.session?.language ?? Language(cookie: request.cookies[SessionCookies.language]?.value)
            let chrome = Chrome(language: language, user: nil)
            let view = ErrorView(t: language.texts, headline: Self.headline(problem.code, language: language), message: problem.message,
                                 fields: problem.fields.filter { $0.message != problem.message }.map { "\($0.field): \($0.message)" },
                                 code: problem.code.rawValue, status: Int(problem.status.code),
                                 back: FrontDesk.sameSitePath(request.headers[.referer]) ?? "/")
            return views.page(language.text("page.error"), template: "error", view: view, chrome: chrome, status: problem.status)
        }
    }

    struct Problem {
        let code: ErrorCode
        let message: String
        let fields: [FieldError]
        let status: HTTPResponse.Status
    }

    struct ErrorView {
        let t: [String: String]
        let headline: String
        let message: String
        let fields: [String]
        let code: String
        let status: Int
        let back: String
    }

    static func problem(for error: any Error) -> Problem {
        if let domain = error as? DomainError ?? Kernel.domainError(forStorageFailure: error) {
            return Problem(code: domain.code, message: domain.message, fields: domain.fields, status: status(of: domain.code))
        }
        if let http = error as? HTTPError {
            switch http.status {
            case .notFound: return Problem(code: .routeNotFound, message: "There is no page at this address.", fields: [], status: .notFound)
            case .methodNotAllowed: return Problem(code: .methodNotAllowed, message: "This page cannot be used that way.", fields: [], status: .methodNotAllowed)
            case .contentTooLarge: return Problem(code: .payloadTooLarge, message: "The form is too large.", fields: [], status: .contentTooLarge)
            case .unauthorized: return Problem(code: .unauthenticated, message: "Please sign in.", fields: [], status: .unauthorized)
            case .forbidden: return Problem(code: .forbidden, message: "This is not allowed.", fields: [], status: .forbidden)
            default:
                if (400..<500).contains(http.status.code) {
                    return Problem(code: .invalidParameter, message: "The request could not be understood.", fields: [], status: http.status)
                }
            }
        }
        return Problem(code: .internalError, message: "Something went wrong on the server; nothing was changed by this request.", fields: [], status: .internalServerError)
    }

    static func status(of code: ErrorCode) -> HTTPResponse.Status {
        switch code.kind {
        case .badRequest: .badRequest
        case .unprocessable: .unprocessableContent
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .preconditionFailed: .preconditionFailed
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .tooManyRequests: .tooManyRequests
        case .serverFault: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    /// What happened, in the words of a front desk.
    static func headline(_ code: ErrorCode, language: Language) -> String {
        let turkish = language == .tr
        switch code.kind {
        case .notFound: return turkish ? "Aradığınız şey bulunamadı" : "Not found"
        case .forbidden: return turkish ? "Bu işlem için yetkiniz yok" : "You may not do this"
        case .conflict: return turkish ? "Bu işlem şu an yapılamıyor" : "This cannot be done now"
        case .unauthenticated: return turkish ? "Giriş gerekli" : "Please sign in"
        case .tooManyRequests: return turkish ? "Çok fazla deneme" : "Too many attempts"
        case .serverFault, .unavailable: return turkish ? "Sunucuda bir sorun oluştu" : "The server has a problem"
        default: return turkish ? "Girilen bilgilerde bir sorun var" : "Something in the form needs fixing"
        }
    }
}
