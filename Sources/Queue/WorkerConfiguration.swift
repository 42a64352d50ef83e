import Foundation

/// How a worker process works its queues.
public struct WorkerConfiguration: Sendable {
    /// Queues to work and how many jobs of each may run at once in this process.
    public var queues: [String: Int]
    /// How long a claimed job stays ours without renewal; renewed every third of it while it runs.
    public var lease: Duration = .seconds(30)
    /// How often an idle worker looks for due jobs even without a notification (scheduled and
    /// retried jobs, and a missed NOTIFY). SQLite, which has no notifications across processes, uses it for all.
    public var pollInterval: Duration = .seconds(1)
    /// Most jobs claimed in one statement.
    public var claimBatch = 100
    /// On SIGTERM, how long running jobs may take to finish before they are cancelled and released.
    public var shutdownGrace: Duration = .seconds(25)
    /// Keep completed jobs this long (0 deletes them at completion, the fastest).
    public var completedRetention: Duration = .zero
    /// Keep dead and cancelled jobs this long for inspection.
    public var deadRetention: Duration = .seconds(7 * 86_400)
    /// Run the rescuer, pruner and scheduler in this process (safe in every process at once).
    public var maintenance = true
    public var maintenanceInterval: Duration = .seconds(1)
    /// This process's name in leases and logs.
    public var workerID: String

    public init(queues: [String: Int], workerID: String? = nil) {
        self.queues = queues
        self.workerID = workerID ?? WorkerConfiguration.defaultWorkerID()
    }

    public static func defaultWorkerID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Parses `--queues notifications:8,invoices:2,default` with `concurrency` for queues without a number.
    public static func parseQueues(_ text: String, concurrency: Int) throws -> [String: Int] {
        var queues: [String: Int] = [:]
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = pieces.first, !name.isEmpty else { continue }
            if pieces.count == 2 {
                guard let count = Int(pieces[1]), count > 0 else {
                    throw WorkerConfigurationError(description: "'\(part)': the concurrency after ':' must be a positive number")
                }
                queues[name] = count
            } else {
                queues[name] = concurrency
            }
        }
        guard !queues.isEmpty else { throw WorkerConfigurationError(description: "no queue to work") }
        return queues
    }
}

public struct WorkerConfigurationError: Error, CustomStringConvertible {
    public let description: String
}
