import Accounts
import Contracts
import Hummingbird
import Invoicing
import Kernel
import Loyalty
import Logging
import Notify
import Prometheus
import ServiceLifecycle

/// Builds the HTTP application: one router, every controller, the middleware in order.
public enum APIServer {
    /// The router alone, as tests drive it.
    public static func buildRouter(kernel: Kernel, notify: NotifyModule, settings: APISettings, metrics: PrometheusCollectorRegistry) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
        // Outermost first: metrics see the final status, errors become problem+json inside them.
        router.add(middleware: MetricsMiddleware(registry: metrics))
        let allowedMethods = AllowedMethods()
        router.add(middleware: ErrorMiddleware(allowedMethods: allowedMethods))

        HealthController(kernel: kernel, metrics: metrics, metricsAccess: .token(settings.metricsToken)).addRoutes(to: router)

        let auth = AuthController(kernel: kernel, settings: settings)
        let operatorController = OperatorController(kernel: kernel, settings: settings)
        let publicAPI = router.group("api/v1")
        auth.addPublicRoutes(to: publicAPI)
        operatorController.addPublicRoutes(to: publicAPI)
        let notifyController = NotifyController(kernel: kernel, notify: notify, settings: settings)
        notifyController.addWebhookRoutes(to: publicAPI)
        notifyController.addUnsubscribeRoutes(to: publicAPI)

        let userAPI = router.group("api/v1")
            .add(middleware: AuthMiddleware(kernel: kernel, settings: settings, audience: .tenantUser))
            .group(context: UserRequestContext.self)
        auth.addUserRoutes(to: userAPI)
        StaffController(kernel: kernel, settings: settings).addRoutes(to: userAPI)
        CustomersController(kernel: kernel, settings: settings).addRoutes(to: userAPI)
        SectorController(kernel: kernel, settings: settings).addRoutes(to: userAPI)
        OrdersController(kernel: kernel, settings: settings).addRoutes(to: userAPI)
        TagsController(kernel: kernel, settings: settings).addRoutes(to: userAPI)
        notifyController.addRoutes(to: userAPI)
        AppointmentsController(notify: notify, settings: settings).addRoutes(to: userAPI)
        AccountsController(accounts: AccountsModule(kernel: kernel), tenants: kernel.tenants, settings: settings).addRoutes(to: userAPI)
        InvoicesController(invoicing: InvoicingModule(kernel: kernel), settings: settings).addRoutes(to: userAPI)
        let loyalty = LoyaltyModule(kernel: kernel)
        LoyaltyController(loyalty: loyalty, settings: settings).addRoutes(to: userAPI)
        let pos = PosController(loyalty: loyalty, settings: settings)
        pos.addManagementRoutes(to: userAPI)
        let deviceAPI = router.group("api/v1/pos")
            .add(middleware: DeviceAuthMiddleware(devices: loyalty.devices, settings: settings))
            .group(context: DeviceRequestContext.self)
        pos.addDeviceRoutes(to: deviceAPI)

        let operatorAPI = router.group("api/v1/operator")
            .add(middleware: AuthMiddleware(kernel: kernel, settings: settings, audience: .operator))
            .group(context: OperatorRequestContext.self)
        operatorController.addRoutes(to: operatorAPI)
        JobsController(kernel: kernel).addRoutes(to: operatorAPI)
        allowedMethods.record(router)
        return router
    }

    /// `/healthz`, `/readyz`, `/metrics` and the document, open, for a port of their own that only
    /// probes and Prometheus reach (`crm worker --metrics-port`, `crm serve` with `CRM_METRICS_PORT`).
    public static func operationsApplication(kernel: Kernel, metrics: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger) -> some Service {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware(allowedMethods: AllowedMethods()))
        HealthController(kernel: kernel, metrics: metrics, metricsAccess: .open).addRoutes(to: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "crm-metrics"), logger: logger)
    }

    /// The whole application: the API and `web` (every path outside the API, for browsers) served
    /// on `host:port`, with the process's other services.
    public static func buildApplication<Web: HTTPResponder>(
        kernel: Kernel,
        web: Web,
        notify: NotifyModule,
        settings: APISettings,
        host: String,
        port: Int,
        services: [any Service],
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger,
        beforeServerStarts: @escaping @Sendable () async throws -> Void = {},
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol where Web.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let router = buildRouter(kernel: kernel, notify: notify, settings: settings, metrics: metrics)
        var app = Application(
            responder: PathDispatch(api: router.buildResponder(), web: web),
            configuration: .init(address: .hostname(host, port: port), serverName: "crm"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
        app.addServices(services)
        app.beforeServerStarts(perform: beforeServerStarts)
        return app
    }
}
