import ArgumentParser
import Foundation
import Kernel
import Queue

/// `crm jobs …`: the operator's view of the queue from the command line.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect the job queue; retry, cancel or discard jobs.",
        subcommands: [Stats.self, List.self, Act.self]
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs per queue and state, and the age of the oldest due job.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let stats = try await options.withKernel { kernel, _ in try await kernel.jobs.stats() }
            for row in stats.rows { print("\(row.queue)\t\(row.state.rawValue)\t\(row.count)") }
            for (queue, age) in stats.oldestAvailableAge.sorted(by: { $0.key < $1.key }) {
                print("\(queue)\toldest due job waiting \(String(format: "%.1f", age)) s")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
        @OptionGroup var options: CommonOptions
        @Option(help: "available, scheduled, retryable, running, completed, dead or cancelled.") var state: String?
        @Option var queue: String?
        @Option var limit = 50

        func run() async throws {
            if let state, JobState(rawValue: state) == nil { throw ValidationError("unknown state '\(state)'") }
            let jobs = try await options.withKernel { kernel, _ in
                try await CommandErrors.explain { try await kernel.jobs.list(state: state, queue: queue, limit: limit) }
            }
            for job in jobs {
                let error = job.errors.last.map { " — \($0.error)" } ?? ""
                print("\(job.id)\t\(job.queue)\t\(job.kind)\t\(job.state.rawValue)\tattempt \(job.attempt)/\(job.maxAttempts)\(error)")
            }
        }
    }

    struct Act: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "do", abstract: "retry, cancel or discard a job: crm jobs do retry 42")
        @OptionGroup var options: CommonOptions
        @Argument(help: "retry, cancel or discard") var action: String
        @Argument var id: Int64

        func run() async throws {
            guard let action = JobAdministration.Action(rawValue: action) else { throw ValidationError("the action is retry, cancel or discard") }
            let job = try await options.withKernel { kernel, _ in
                try await CommandErrors.explain { try await kernel.jobs.perform(action, on: id, by: .commandLine) }
            }
            print("Job \(job.id) is now \(job.state.rawValue).")
        }
    }
}
