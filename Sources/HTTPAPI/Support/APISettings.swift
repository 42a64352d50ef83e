/// Settings of the HTTP layer.
public struct APISettings: Sendable {
    /// Largest request body accepted (`CRM_MAX_BODY_BYTES`); larger ones get 413.
    public var maximumBodyBytes = 1 << 20
    /// Proxies whose `X-Forwarded-For` is believed (`CRM_TRUSTED_PROXIES`); none by default, so
    /// that nobody can pose as another address to the login throttle.
    public var trustedProxies = TrustedProxies.none
    /// The bearer token that reads `/metrics` on the API port (`CRM_METRICS_TOKEN`); without one,
    /// metrics are only on the metrics port.
    public var metricsToken: String?
    /// Lifetime of operator tokens issued over the API.
    public var operatorTokenLifetime: Duration = .seconds(90 * 24 * 3600)

    public init() {}
}
