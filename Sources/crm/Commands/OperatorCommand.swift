import ArgumentParser
import Foundation
import Kernel

/// `crm operator token …`: bearer tokens for the operator API, issued by whoever runs the server.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Operator access to the API.",
        subcommands: [IssueToken.self, RevokeToken.self]
    )

    struct IssueToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "issue-token", abstract: "Issue an operator token (printed once).")

        @OptionGroup var options: CommonOptions
        @Option(help: "Whose token this is, e.g. the operator's name.") var label: String
        @Option(help: "Days until it expires.") var days: Int = 90

        func run() async throws {
            guard (1...365).contains(days) else { throw ValidationError("--days must be 1–365") }
            let issued = try await options.withKernel { kernel, _ in
                try await CommandErrors.explain {
                    try await kernel.auth.issueOperatorToken(label: label, lifetime: .seconds(days * 86400), by: .commandLine)
                }
            }
            print("Operator token \(issued.id.uuidString.lowercased()) for \(issued.label), valid until \(issued.expiresAt):")
            print(issued.token)
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-token", abstract: "Revoke an operator token by its id.")

        @OptionGroup var options: CommonOptions
        @Argument(help: "The token's id, as printed when it was issued.") var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("'\(id)' is not a token id") }
            try await options.withKernel { kernel, _ in
                try await CommandErrors.explain { try await kernel.auth.revokeOperatorToken(id: uuid, by: .commandLine) }
            }
            print("Revoked.")
        }
    }
}
