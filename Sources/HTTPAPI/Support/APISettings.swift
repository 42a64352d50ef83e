/// Settings of the HTTP layer.
public struct APISettings: Sendable {
    /// Largest request body accepted (`CRM_MAX_BODY_BYTES`); larger ones get 413.
    public var maximumBodyBytes = 1 << 20
    /// Take the client address from `X-Forwarded-For` (`CRM_TRUST_FORWARDED_FOR`): only behind a
    /// proxy that sets it, or anyone can pose as any address to the login throttle.
    public var trustForwardedFor = false
    /// Lifetime of operator tokens issued over the API.
    public var operatorTokenLifetime: Duration = .seconds(90 * 24 * 3600)

    public init() {}
}
