import DHCPv4

/// Something that happened to a lease, kept in the store for later steps
/// (the provisioning worker consumes `leased`).
public struct LeaseEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case leased, renewed, released, declined, expired
    }
    /// Who caused it: the DHCP server itself, an admin command, or another
    /// DHCP server whose traffic autoprov observed (`dhcp.interfaces` entry
    /// with `mode: observe`).
    public enum Origin: String, Sendable, Codable {
        case dhcp, admin, observed
    }

    public var id: Int64?
    public var time: Double
    public var kind: Kind
    public var mac: MACAddress
    public var ip: IPv4Address
    public var className: String?
    public var origin: Origin

    public init(
        id: Int64? = nil, time: Double, kind: Kind, mac: MACAddress, ip: IPv4Address,
        className: String? = nil, origin: Origin = .dhcp
    ) {
        self.id = id
        self.time = time
        self.kind = kind
        self.mac = mac
        self.ip = ip
        self.className = className
        self.origin = origin
    }
}
