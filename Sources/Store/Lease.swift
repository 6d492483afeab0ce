import DHCPv4

/// Where a lease stands. `offered` leases live in memory only (a short hold);
/// every other state is committed before the client hears of it.
public enum LeaseState: String, Sendable, Codable, CaseIterable {
    case offered, bound, declined, released, expired
}

/// One address and who holds it. The address is the key: an address is never
/// bound to two clients (the table's primary key enforces it).
public struct Lease: Sendable, Equatable, Codable {
    public var ip: IPv4Address
    public var mac: MACAddress
    public var clientID: [UInt8]?
    public var state: LeaseState
    /// The subnet the lease belongs to, CIDR text (`192.0.2.0/24`).
    public var subnet: String
    /// The client class that matched, if any.
    public var className: String?
    public var hostname: String?
    /// Absolute expiry, seconds since 1970 (wall clock, stored).
    public var expires: Int64
    /// Last change, seconds since 1970.
    public var updated: Int64
    /// Who granted it: autoprov's own DHCP server (`dhcp`), or another
    /// server whose ACK autoprov saw in observe mode (`observed`). The DHCP
    /// engine keeps observed leases out of its table.
    public var origin: LeaseEvent.Origin
    /// The granting server's identifier (option 54), for observed leases.
    public var server: IPv4Address?

    public init(
        ip: IPv4Address, mac: MACAddress, clientID: [UInt8]? = nil, state: LeaseState,
        subnet: String, className: String? = nil, hostname: String? = nil, expires: Int64, updated: Int64,
        origin: LeaseEvent.Origin = .dhcp, server: IPv4Address? = nil
    ) {
        self.ip = ip
        self.mac = mac
        self.clientID = clientID
        self.state = state
        self.subnet = subnet
        self.className = className
        self.hostname = hostname
        self.expires = expires
        self.updated = updated
        self.origin = origin
        self.server = server
    }

    /// The state a reader should see at `now`: a bound lease past its expiry
    /// reads as expired without a write.
    public func effectiveState(at now: Int64) -> LeaseState {
        state == .bound && expires <= now ? .expired : state
    }
}

/// Selects leases for listing.
public struct LeaseFilter: Sendable {
    public var mac: MACAddress?
    public var ip: IPv4Address?
    public var state: LeaseState?
    public init(mac: MACAddress? = nil, ip: IPv4Address? = nil, state: LeaseState? = nil) {
        self.mac = mac
        self.ip = ip
        self.state = state
    }
}
