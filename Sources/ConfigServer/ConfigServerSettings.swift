/// Who may fetch a device's files.
public enum FetchAuthorization: String, Sendable, CaseIterable {
    /// The request comes from the address currently leased to the device.
    case leasedIP = "leased_ip"
    /// The request carries valid HTTP Digest credentials for the device.
    case digest
    case leasedIPOrDigest = "leased_ip_or_digest"
    case leasedIPAndDigest = "leased_ip_and_digest"
}

/// What to do when a phone nobody added asks for its file.
public enum UnknownDevicePolicy: String, Sendable, CaseIterable {
    case notFound = "404"
    /// Add it as `discovered` in the default group, then serve it.
    case autocreate
}

public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, host an IPv4 address, `[v6]`, or a name.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The config server's part of the configuration.
public struct ConfigServerSettings: Sendable {
    public var enabled: Bool
    public var listen: ListenAddress
    /// Starts and ends with `/`.
    public var pathPrefix: String
    public var authorization: FetchAuthorization
    public var digestRealm: String
    /// Nonce lifetime and failure throttling (`config_server.digest`).
    public var digest = DigestSettings()
    public var unknownDevices: UnknownDevicePolicy
    public var defaultGroup: String
    /// `config_server.per_device_secret` (default true): a device whose own
    /// provisioning secret is in force is served only with Digest under it
    /// (user: its MAC), whatever `authorization` says; the worker makes one
    /// for every device it pushes to. Off: no new secrets are made and
    /// existing ones are accepted but not required.
    public var perDeviceSecret = true
    public var https: HTTPSSettings?
    /// Connections in all and per source address, the request deadline (`config_server.limits`).
    public var limits = ConnectionLimits()

    public struct HTTPSSettings: Sendable {
        public var listen: ListenAddress
        public var certificate: String
        public var key: String
        public init(listen: ListenAddress, certificate: String, key: String) {
            self.listen = listen
            self.certificate = certificate
            self.key = key
        }
    }

    public init(
        enabled: Bool = true, listen: ListenAddress = ListenAddress(host: "0.0.0.0", port: 8080), pathPrefix: String = "/",
        authorization: FetchAuthorization = .leasedIP, digestRealm: String = "autoprov",
        unknownDevices: UnknownDevicePolicy = .notFound, defaultGroup: String = "default", https: HTTPSSettings? = nil
    ) {
        self.enabled = enabled
        self.listen = listen
        self.pathPrefix = pathPrefix
        self.authorization = authorization
        self.digestRealm = digestRealm
        self.unknownDevices = unknownDevices
        self.defaultGroup = defaultGroup
        self.https = https
    }
}
