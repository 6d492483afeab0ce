import DHCPv4

/// Something that happened to a device outside DHCP: a config fetch
/// (served or refused), a discovery, an admin change.
public struct DeviceEvent: Sendable, Equatable {
    /// Open set of kinds: the device's own, plus lease event kinds
    /// (`leased`, `renewed`...) when events are listed per device.
    public struct Kind: RawRepresentable, Hashable, Sendable, Codable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let configFetch = Kind(rawValue: "config-fetch")
        public static let discovered = Kind(rawValue: "discovered")
        /// The phone's HTTPS certificate was remembered at its first verification.
        public static let apiCertPinned = Kind(rawValue: "api-cert-pinned")
        /// An admin accepted a replaced phone: the next job pins its certificate.
        public static let apiCertAccepted = Kind(rawValue: "api-cert-accepted")
        /// A per-device provisioning secret was made for the push (never its value).
        public static let provisioningSecretCreated = Kind(rawValue: "provisioning-secret-created")
        /// Its job was verified: the device's files now need Digest under it.
        public static let provisioningSecretInForce = Kind(rawValue: "provisioning-secret-in-force")
        /// An admin reset it: the device is back in its bootstrap window.
        public static let provisioningSecretReset = Kind(rawValue: "provisioning-secret-reset")
    }

    public var id: Int64?
    public var time: Double
    public var kind: Kind
    public var mac: MACAddress
    public var ip: String?
    public var file: String?
    public var userAgent: String?
    /// The HTTP status answered.
    public var status: Int?
    /// Why a fetch was refused (`not-leased-ip`, `digest-bad`...), nil when served.
    public var reason: String?

    public init(
        id: Int64? = nil, time: Double, kind: Kind, mac: MACAddress, ip: String? = nil, file: String? = nil,
        userAgent: String? = nil, status: Int? = nil, reason: String? = nil
    ) {
        self.id = id
        self.time = time
        self.kind = kind
        self.mac = mac
        self.ip = ip
        self.file = file
        self.userAgent = userAgent
        self.status = status
        self.reason = reason
    }
}

/// What a fetch taught us about the phone, applied with its event.
public struct DeviceContact: Sendable, Equatable {
    public var mac: MACAddress
    public var time: Double
    public var ip: String?
    public var model: String?
    public var firmware: String?
    /// The per-device file was served: the device becomes `config-fetched`.
    public var fetchedOwnFile: Bool
    /// The per-device file was served after a valid Digest check.
    public var digestFetch: DigestFetch?

    public init(
        mac: MACAddress, time: Double, ip: String?, model: String?, firmware: String?, fetchedOwnFile: Bool,
        digestFetch: DigestFetch? = nil
    ) {
        self.mac = mac
        self.time = time
        self.ip = ip
        self.model = model
        self.firmware = firmware
        self.fetchedOwnFile = fetchedOwnFile
        self.digestFetch = digestFetch
    }
}
