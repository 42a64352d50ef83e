import Foundation
import Synchronization

/// A real SMTP server for a test: aiosmtpd (PyPI) with STARTTLS and AUTH, run from
/// `Tests/Peers/smtp_peer.py` by the Python in `CRM_TEST_PYTHON` (Deploy/test.sh makes one).
public final class SMTPPeer: Sendable {
    public struct Received: Sendable {
        public let mailFrom: String
        public let recipients: [String]
        public let mailOptions: [String]
        public let tls: Bool
        public let authenticated: Bool
        public let mechanisms: [String]
        /// The message as it arrived, after the server undid the dot-stuffing.
        public let data: String
    }

    public let port: Int
    /// The certificate the server presents (trust it as a CA).
    public let certificate: String
    private let process: Process
    private let input: Pipe
    private let lines: LineBuffer

    /// What the peer printed, line by line.
    final class LineBuffer: Sendable {
        let all = Mutex<[String]>([])
        let partial = Mutex("")

        func take(_ text: String) {
            partial.withLock { buffer in
                buffer += text
                while let newline = buffer.firstIndex(of: "\n") {
                    let line = String(buffer[..<newline])
                    buffer = String(buffer[buffer.index(after: newline)...])
                    all.withLock { $0.append(line) }
                }
            }
        }
    }

    private init(port: Int, certificate: String, process: Process, input: Pipe, lines: LineBuffer) {
        self.port = port
        self.certificate = certificate
        self.process = process
        self.input = input
        self.lines = lines
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static func start(user: String, password: String, transient: Int = 0, permanent: Bool = false) async throws -> SMTPPeer {
        guard let python = ProcessInfo.processInfo.environment["CRM_TEST_PYTHON"] else {
            throw Unavailable(description: "CRM_TEST_PYTHON is not set: run the tests with Deploy/test.sh, which installs aiosmtpd")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers/smtp_peer.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--user", user, "--password", password, "--transient", "\(transient)"] + (permanent ? ["--permanent"] : [])
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        let lines = LineBuffer()
        output.fileHandleForReading.readabilityHandler = { handle in lines.take(String(decoding: handle.availableData, as: UTF8.self)) }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let ready = lines.all.withLock({ $0.first { $0.hasPrefix("READY ") } }) {
                let parts = ready.split(separator: " ")
                return SMTPPeer(port: Int(parts[1])!, certificate: String(parts[2]), process: process, input: input, lines: lines)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw Unavailable(description: "the SMTP peer did not start (is aiosmtpd installed for \(python)?)")
    }

    public var received: [Received] {
        lines.all.withLock { $0 }.filter { $0.hasPrefix("{") }.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let data = (object["data"] as? String).flatMap({ Data(base64Encoded: $0) }) else { return nil }
            return Received(mailFrom: object["mail_from"] as? String ?? "", recipients: object["rcpt_tos"] as? [String] ?? [],
                            mailOptions: object["mail_options"] as? [String] ?? [], tls: object["tls"] as? Bool ?? false,
                            authenticated: object["authenticated"] as? Bool ?? false, mechanisms: object["mechanisms"] as? [String] ?? [],
                            data: String(decoding: data, as: UTF8.self))
        }
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
