import DHCPv4

/// Where a device is in its life, as far as the inventory knows.
public enum DeviceState: String, Sendable, Codable, CaseIterable {
    /// Added by an admin, not seen yet.
    case new
    /// Created when an unknown phone asked for its file (`unknown_devices: autocreate`).
    case discovered
    /// Has fetched its per-device file at least once.
    case configFetched = "config-fetched"
}

/// One phone in the inventory.
public struct Device: Sendable, Equatable {
    public var mac: MACAddress
    public var label: String
    /// Learned from the User-Agent when not set by an admin.
    public var model: String?
    public var group: String
    public var state: DeviceState
    /// The phone's web admin account (also the xmlService credentials).
    public var adminUser: String?
    public var adminPassword: String?
    /// Device-level variables, the nearest level of resolution.
    public var variables: [String: String]
    public var lines: [SIPLine]
    /// Last firmware and address seen in a fetch.
    public var firmware: String?
    public var lastIP: String?
    public var created: Double
    public var updated: Double
    public var lastSeen: Double?
    /// Bumped on every change that can alter what is rendered for it.
    public var revision: Int64
    /// Written by the config server only (never by an import or an admin).
    public var digestFetch: DigestFetch?
    /// SHA-256 of the phone's HTTPS certificate (`AB:CD:...`), pinned at
    /// its first verification; nil until then or after an admin accepted
    /// a replaced phone.
    public var apiCertSHA256: String?
    /// The device's own provisioning password (`ProvisioningSecret`):
    /// written by the worker and `reset-secret` only, never by an import or
    /// an admin edit, never shown.
    public var provisioningSecret: ProvisioningSecret?

    public init(
        mac: MACAddress, label: String = "", model: String? = nil, group: String = DeviceGroup.defaultName,
        state: DeviceState = .new, adminUser: String? = nil, adminPassword: String? = nil,
        variables: [String: String] = [:], lines: [SIPLine] = [], firmware: String? = nil, lastIP: String? = nil,
        created: Double = 0, updated: Double = 0, lastSeen: Double? = nil, revision: Int64 = 1,
        digestFetch: DigestFetch? = nil, apiCertSHA256: String? = nil, provisioningSecret: ProvisioningSecret? = nil
    ) {
        self.mac = mac
        self.label = label
        self.model = model
        self.group = group
        self.state = state
        self.adminUser = adminUser
        self.adminPassword = adminPassword
        self.variables = variables
        self.lines = lines
        self.firmware = firmware
        self.lastIP = lastIP
        self.created = created
        self.updated = updated
        self.lastSeen = lastSeen
        self.revision = revision
        self.digestFetch = digestFetch
        self.apiCertSHA256 = apiCertSHA256
        self.provisioningSecret = provisioningSecret
    }
}

/// A group of devices sharing variables (a site, a floor, a customer).
public struct DeviceGroup: Sendable, Equatable {
    /// The group every device belongs to unless told otherwise; always exists.
    public static let defaultName = "default"

    public var name: String
    public var variables: [String: String]
    public var revision: Int64
    public var created: Double
    public var updated: Double

    public init(name: String, variables: [String: String] = [:], revision: Int64 = 1, created: Double = 0, updated: Double = 0) {
        self.name = name
        self.variables = variables
        self.revision = revision
        self.created = created
        self.updated = updated
    }
}
