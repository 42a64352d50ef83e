import ArgumentParser
import Foundation
import Kernel

/// `crm tenant …`: the operator's onboarding from the command line.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create and list tenants.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant with its first branch and its owner.")

        @OptionGroup var options: CommonOptions

        @Option(help: "Short name used at sign-in, e.g. moda-temizleme.") var slug: String
        @Option(help: "Business name.") var name: String
        @Option(help: "Sector module id (see `crm sectors`).") var sector: String
        @Option(help: "IANA time zone.") var timeZone: String = TenantService.defaultTimeZone
        @Option(help: "Language of customer messages: tr or en.") var locale: String = "tr"
        @Option(help: "The owner's e-mail address.") var ownerEmail: String
        @Option(help: "The owner's name.") var ownerName: String
        @Flag(help: "Read the owner's password from standard input instead of generating one.") var ownerPasswordStdin = false

        func run() async throws {
            let password = ownerPasswordStdin ? readLine(strippingNewline: true) : nil
            let input = NewTenant(
                slug: slug, name: name, sector: sector, timeZone: timeZone, locale: locale,
                owner: NewUser(email: ownerEmail, name: ownerName, role: "owner", password: password)
            )
            let created = try await options.withKernel { kernel, _ in
                try await CommandErrors.explain { try await kernel.tenants.create(input, by: .commandLine) }
            }
            print("Created tenant \(created.tenant.slug) (\(created.tenant.id.uuidString.lowercased())), sector \(created.tenant.sector).")
            print("Owner: \(created.owner.email)")
            if let generated = created.generatedPassword {
                print("Owner's password (shown once; change it after signing in): \(generated)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let tenants = try await options.withKernel { kernel, _ in try await kernel.tenants.list(by: .commandLine) }
            for tenant in tenants {
                print("\(tenant.slug)\t\(tenant.sector)\t\(tenant.timeZone)\t\(tenant.status.rawValue)\t\(tenant.name)")
            }
        }
    }
}
