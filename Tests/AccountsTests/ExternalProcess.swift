import Dispatch
import Foundation

/// Runs a program to its end on a thread of its own and returns its exit status and output. A
/// test must not wait for a child process on Swift's cooperative threads: there are as many of
/// them as cores, and every suite of the run shares them.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: Data) {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, data))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
