/// `config_server.digest`: how long a Digest nonce lives and how failed
/// attempts are throttled per source address (issue 13, item 6). All of it
/// changes on reload (SIGHUP), from the next request on.
public struct DigestSettings: Sendable, Equatable {
    /// Seconds a nonce is accepted after it was issued; an older one with
    /// the right response is answered 401 `stale=true`.
    public var nonceLifetime: Double
    /// Failed attempts from one source address within `failureWindow`
    /// seconds that start a cooldown.
    public var maxFailures: Int
    public var failureWindow: Double
    /// Seconds during which every Digest request from that address is
    /// refused (429, `Retry-After`) without being checked.
    public var cooldown: Double

    public init(nonceLifetime: Double = 300, maxFailures: Int = 10, failureWindow: Double = 60, cooldown: Double = 300) {
        self.nonceLifetime = nonceLifetime
        self.maxFailures = maxFailures
        self.failureWindow = failureWindow
        self.cooldown = cooldown
    }

    /// The accepted ranges, checked by the config validator.
    public static let nonceLifetimeRange = 10.0...86_400.0
    public static let maxFailuresRange = 1...100_000
    public static let failureWindowRange = 1.0...86_400.0
    public static let cooldownRange = 1.0...86_400.0
}
