import ArgumentParser

@main
struct CRM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "A multi-tenant CRM server for service businesses: dry cleaners, carpet washers, shoe shiners, tailors, car washes, shops.",
        discussion: """
            Configuration comes from CRM_* environment variables, overridden by flags:
            \(AppConfig.variables.map { "  \($0.name): \($0.meaning)" }.joined(separator: "\n"))
            """,
        subcommands: [ServeCommand.self, WorkerCommand.self, JobsCommand.self, MigrateCommand.self, TenantCommand.self, OperatorCommand.self, SectorsCommand.self]
    )
}
