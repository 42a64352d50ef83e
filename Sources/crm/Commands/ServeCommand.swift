import ArgumentParser
import Foundation
import HTTPAPI
import Hummingbird
import Kernel
import Logging
import Storage
import Contracts
import Prometheus
import Queue
import ServiceLifecycle
import WebUI
import Workers

/// `crm serve`: migrates, then serves the API until SIGTERM or SIGINT, finishing requests in flight.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the HTTP API (migrates the database first).")

    @OptionGroup var options: CommonOptions

    @Option(help: "Address to listen on (overrides CRM_HOST).")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free one (overrides CRM_PORT).")
    var port: Int?

    @Flag(help: "Create the demo tenant if missing, give its owner a fresh password and print the sign-in.")
    var demo = false

    func run() async throws {
        var settings = try options.config()
        if let host { settings.host = host }
        if let port { settings.port = port }
        let config = settings
        let logger = config.makeLogger("crm.serve")
        // One server per SQLite file: it counts the file's changes in-process (cached sessions).
        if case .sqlite(let path) = config.database { try SQLiteStore.claimServing(path: path) }
        let (kernel, opened) = try await Composition.open(config, logger: logger)
        let notify = try Composition.notify(kernel, config: config)
        let demoSignIn = DemoSignIns()
        let metrics = PrometheusCollectorRegistry()
        var services: [any Service] = opened.service.map { [$0] } ?? []
        services.append(QueueGauges(kernel: kernel, metrics: metrics, logger: logger))
        if let metricsPort = config.metricsPort {
            services.append(APIServer.operationsApplication(kernel: kernel, metrics: metrics, host: config.host, port: metricsPort, logger: logger))
        }
        if config.runsEmbeddedWorkers {
            let queues = try WorkerConfiguration.parseQueues(config.embeddedQueues, concurrency: 4)
            let worker = WorkerProcess.service(kernel: kernel, notify: notify, configuration: WorkerConfiguration(queues: queues), metrics: metrics, logger: logger)
            services.append(MigrateThenRun(kernel: kernel, notify: notify, logger: logger, service: worker))
        }
        var web = WebSettings()
        web.secureCookies = config.webSecureCookies
        web.clientAddress = { [proxies = config.api.trustedProxies] peer, forwarded in proxies.client(peer: peer, forwardedFor: forwarded) }
        web.demoSignIns = { await demoSignIn.value.map(\.web) }
        let frontDesk = try FrontDesk(kernel: kernel, notify: notify, settings: web)
        let app = APIServer.buildApplication(
            kernel: kernel,
            web: frontDesk.router().buildResponder(),
            notify: notify,
            settings: config.api,
            host: config.host,
            port: config.port,
            services: services,
            metrics: metrics,
            logger: logger,
            beforeServerStarts: { [demo] in
                let applied = try await kernel.migrate(logger: logger)
                logger.info("database ready", metadata: ["engine": .string(kernel.database.engine.rawValue), "applied": .stringConvertible(applied.count)])
                if demo {
                    await demoSignIn.set(try await Demo.prepare(kernel: kernel, logger: logger))
                }
            },
            onServerRunning: { port in
                var text = "CRM is serving on http://\(config.host):\(port) (database: \(config.database))\n"
                for signIn in await demoSignIn.value {
                    text += signIn.instructions(port: port, host: config.host) + "\n"
                }
                // Unbuffered, so that a script reading the output sees it at once.
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        )
        try await app.runService()
        await opened.database.close()
    }
}

/// The demo sign-in, handed from start-up to the moment the server prints its address.
actor DemoSignIns {
    private(set) var value: [Demo.SignIn] = []

    func set(_ value: [Demo.SignIn]) {
        self.value = value
    }
}
