import ArgumentParser
import Contracts
import Foundation

/// Shows a `DomainError` at the command line as its message and field errors, not as a dump.
enum CommandErrors {
    static func explain<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DomainError {
            var lines = ["error (\(error.code.rawValue)): \(error.message)"]
            if error.fields.count > 1 {
                lines += error.fields.map { "  \($0.field): \($0.message)" }
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode.failure
        }
    }
}
