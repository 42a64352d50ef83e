import ArgumentParser

@main
struct CRMBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-bench",
        abstract: "Measurements of the job queue and of notifications, and the worker the queue's process tests start.",
        subcommands: [QueueBenchCommand.self, NotifyBenchCommand.self, WorkerCommand.self]
    )
}
