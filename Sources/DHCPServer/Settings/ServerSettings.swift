import DHCPv4

/// Everything the DHCP server decides with, validated (see AutoprovConfig).
public struct ServerSettings: Sendable, Equatable {
    public var interfaces: [String]
    public var port: Int
    public var subnets: [Subnet]
    public var classes: [ClientClass]
    public var reservations: [Reservation]
    public var unknownClients: UnknownClientPolicy
    /// Seconds an OFFERed address is held.
    public var offerHold: Int64
    /// Seconds a DECLINEd address stays out of the pool.
    public var declineQuarantine: Int64
    /// At most this many leases per grouped commit.
    public var commitBatch: Int
    /// Bytes asked for the socket receive buffer (the kernel doubles it).
    /// It is the only queue in front of the server: small enough that a
    /// request never waits there longer than a client would (a few hundred
    /// requests), so that overload drops the excess instead of answering
    /// everyone too late.
    public var receiveBuffer: Int

    public init(
        interfaces: [String], port: Int = 67, subnets: [Subnet], classes: [ClientClass] = [],
        reservations: [Reservation] = [], unknownClients: UnknownClientPolicy = .serve,
        offerHold: Int64 = 30, declineQuarantine: Int64 = 3600, commitBatch: Int = 256, receiveBuffer: Int = 512 << 10
    ) {
        self.interfaces = interfaces
        self.port = port
        self.subnets = subnets
        self.classes = classes
        self.reservations = reservations
        self.unknownClients = unknownClients
        self.offerHold = offerHold
        self.declineQuarantine = declineQuarantine
        self.commitBatch = commitBatch
        self.receiveBuffer = receiveBuffer
    }

    public func subnetIndex(containing address: IPv4Address) -> Int? {
        subnets.firstIndex { $0.contains(address) }
    }

    public func reservation(for mac: MACAddress) -> Reservation? {
        reservations.first { $0.mac == mac }
    }

    public func clientClass(mac: MACAddress, vendorClass: String?) -> ClientClass? {
        classes.first { $0.matches(mac: mac, vendorClass: vendorClass) }
    }
}
