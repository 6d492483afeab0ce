/// Where a phone's xmlService answers: `http(s)://host:port/xmlService`.
///
/// `host` is an IPv4 address or a hostname (what DHCP leases and the device
/// table hold); IPv6 literals are not expected on the phones' networks and
/// are bracketed if given.
public struct PhoneEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`; phones serve both.
    public enum Scheme: String, Sendable, Hashable {
        case http, https

        /// The port a phone uses when none is configured.
        public var defaultPort: Int {
            switch self {
            case .http: 80
            case .https: 443
            }
        }
    }

    public var host: String
    public var port: Int
    public var scheme: Scheme
    /// The request target, `/xmlService` unless a firmware moved it.
    public var path: String

    /// - Parameter port: `nil` for the scheme's default port.
    public init(host: String, port: Int? = nil, scheme: Scheme = .http, path: String = "/xmlService") {
        self.host = host
        self.scheme = scheme
        self.port = port ?? scheme.defaultPort
        self.path = path.hasPrefix("/") ? path : "/" + path
    }

    /// `host:port`, IPv6 literals in brackets.
    public var authority: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }

    /// The full URL, `http://192.0.2.10:80/xmlService`.
    public var url: String { "\(scheme.rawValue)://\(authority)\(path)" }

    /// The key under which a phone's last authentication challenge is kept:
    /// scheme, host and port (the path does not change who asks).
    var authenticationKey: String { "\(scheme.rawValue)://\(authority)" }

    public var description: String { url }
}
