/// Something a simulated phone did, for the `--events` file and the
/// progress line. Never carries a password.
public struct PhoneEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case leased, configFetched = "config-fetched", apiListening = "api-listening"
        case registered, registerFailed = "register-failed", rebooting, set, get
        /// The provisioning URL came from a SIP PnP NOTIFY.
        case pnp
    }

    public var mac: String
    public var kind: Kind
    public var ip: String?
    /// The SIP status for `registered` / `register-failed`, the RetCode for `set`.
    public var code: Int?

    public init(mac: String, kind: Kind, ip: String?, code: Int? = nil) {
        self.mac = mac
        self.kind = kind
        self.ip = ip
        self.code = code
    }
}

/// Where a phone reports its events.
public typealias PhoneEventSink = @Sendable (PhoneEvent) -> Void
