import DHCPv4

/// Everything the DHCP server decides with, validated (see AutoprovConfig).
public struct ServerSettings: Sendable, Equatable {
    /// The interfaces answered on (observe-only ones are not here).
    public var interfaces: [String]
    /// Those of `interfaces` that send whole frames through libpcap
    /// (`transport: raw`), so that a reply can be unicast to a client's
    /// hardware address before it has an IP; the others use a UDP socket.
    public var rawInterfaces: Set<String> = []
    public var port: Int
    public var subnets: [Subnet]
    public var classes: [ClientClass]
    /// Fixed addresses; looked up per request through `reservationsByMAC`.
    public var reservations: [Reservation] {
        didSet { reservationsByMAC = Self.index(reservations) }
    }
    private var reservationsByMAC: [MACAddress: Reservation]
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
        reservationsByMAC = Self.index(reservations)
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
        reservationsByMAC[mac]
    }

    /// The first class that matches. Option 60 is decoded only if a class
    /// that did not match by MAC asks for it.
    public func clientClass(mac: MACAddress, vendorClass: @autoclosure () -> String?) -> ClientClass? {
        var decoded: String??
        return classes.first { candidate in
            if candidate.matches(mac: mac, vendorClass: nil) { return true }
            guard !candidate.vendorClassSubstrings.isEmpty else { return false }
            if decoded == nil { decoded = .some(vendorClass()) }
            return candidate.matches(mac: mac, vendorClass: decoded!)
        }
    }

    /// The first reservation per MAC wins, as in a linear search.
    private static func index(_ reservations: [Reservation]) -> [MACAddress: Reservation] {
        Dictionary(reservations.map { ($0.mac, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
