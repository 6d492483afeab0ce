import DHCPv4
import Store

/// What observe mode learns from DHCP traffic another server answers: pure
/// (messages in; leases and events to commit out), no I/O.
///
/// - a DHCPACK with `yiaddr` set, for a client the `ObserveFilter` accepts:
///   a bound lease (expiry from option 51, server from option 54) and a
///   `leased` event, or `renewed` when that MAC already held that address;
///   the address the MAC held before, or another MAC's hold on this
///   address, ends with an `expired` event;
/// - a DHCPRELEASE of a learned lease: `released`; a DHCPDECLINE of it:
///   `declined`; a DHCPNAK to its holder: `expired`;
/// - the same ACK seen again (a second capture point, a retransmission:
///   same xid within `duplicateWindow`, or any ACK of the same MAC and
///   address within `debounce`) changes nothing.
///
/// Every lease and event carries origin `observed`.
public struct LeaseLearner: Sendable {
    /// Why a message taught nothing (a metric label).
    public enum Ignored: String, Sendable, CaseIterable {
        /// An ACK already learned.
        case duplicate
        /// An ACK for a client no class matches and not in the inventory.
        case unmatched
        /// An ACK without an address (the answer to an INFORM).
        case noAddress = "no_address"
        /// A release, decline or NAK for a lease not learned.
        case unknownLease = "unknown_lease"
        /// Anything else (DISCOVER, OFFER, REQUEST, INFORM: noted, not learned).
        case other
    }

    /// What one message produced.
    public struct Result: Sendable, Equatable {
        public var leases: [Lease] = []
        public var events: [LeaseEvent] = []
        public var ignored: Ignored?
        public static func ignored(_ reason: Ignored) -> Result { Result(ignored: reason) }
    }

    public let filter: ObserveFilter
    public var debounce: Double = 2
    public var duplicateWindow: Double = 60
    /// The lease time assumed when an ACK carries no option 51.
    public var defaultLeaseTime: UInt32 = 3600
    /// The bound leases learned so far, by MAC.
    public private(set) var bound: [MACAddress: Lease] = [:]
    private var lastACK: [MACAddress: (xid: UInt32, ip: IPv4Address, at: Double)] = [:]
    /// Option 60 and 12 from each client's own requests (an ACK carries the
    /// server's options, not the client's); bounded.
    private var clientInfo: [MACAddress: (vendorClass: String?, hostname: String?)] = [:]
    static let clientInfoLimit = 4096

    /// `leases`: the store's rows; the bound observed ones are picked up,
    /// so that a restart neither forgets them nor reports them as new.
    public init(filter: ObserveFilter, leases: [Lease] = []) {
        self.filter = filter
        for lease in leases where lease.origin == .observed && lease.state == .bound {
            bound[lease.mac] = lease
        }
    }

    /// Learns from one message; `source` is the sender's IPv4 address (the
    /// server id when option 54 is missing).
    public mutating func observe(_ message: DHCPMessage, source: IPv4Address? = nil, at now: Double) -> Result {
        guard let type = message.messageType, let mac = message.clientMAC else { return .ignored(.other) }
        switch (message.op, type) {
        case (.bootReply, .ack):
            return acknowledged(message, mac: mac, source: source, now: now)
        case (.bootReply, .nak):
            guard let lease = bound[mac] else { return .ignored(.unknownLease) }
            return end(lease, as: .expired, now: now)
        case (.bootRequest, .release):
            guard let lease = bound[mac], lease.ip == message.ciaddr else { return .ignored(.unknownLease) }
            return end(lease, as: .released, now: now)
        case (.bootRequest, .decline):
            guard let lease = bound[mac], lease.ip == message.requestedIPAddress else { return .ignored(.unknownLease) }
            return end(lease, as: .declined, now: now)
        case (.bootRequest, _):
            remember(message, mac: mac)
            return .ignored(.other)
        default:
            return .ignored(.other)
        }
    }

    /// The lease `mac` holds in memory, if the store no longer has it bound
    /// there (an admin released it with `autoprov lease release`): forgotten,
    /// so that the next ACK is a new lease (a `leased` event, which starts a
    /// provisioning job) rather than a renewal.
    public mutating func forget(_ mac: MACAddress) {
        bound[mac] = nil
        lastACK[mac] = nil
    }

    /// Ends every learned lease whose expiry has passed at `now`.
    public mutating func expire(now: Double) -> Result {
        var result = Result()
        for lease in bound.values.sorted(by: { $0.ip < $1.ip }) where lease.expires <= Int64(now) {
            let ended = end(lease, as: .expired, now: now)
            result.leases += ended.leases
            result.events += ended.events
        }
        return result
    }

    private mutating func acknowledged(_ ack: DHCPMessage, mac: MACAddress, source: IPv4Address?, now: Double) -> Result {
        let ip = ack.yiaddr
        guard !ip.isUnspecified else { return .ignored(.noAddress) }
        let info = clientInfo[mac]
        guard let match = filter.match(mac: mac, vendorClass: info?.vendorClass ?? ack.vendorClassIdentifier) else {
            return .ignored(.unmatched)
        }
        if let last = lastACK[mac], last.ip == ip {
            let age = now - last.at
            if age >= 0, age < debounce || (last.xid == ack.xid && age < duplicateWindow) {
                return .ignored(.duplicate)
            }
        }
        lastACK[mac] = (ack.xid, ip, now)
        var result = Result()
        let renewal = bound[mac]?.ip == ip
        if let previous = bound[mac], previous.ip != ip {
            result.append(end(previous, as: .expired, now: now))
        }
        if let other = bound.values.first(where: { $0.ip == ip && $0.mac != mac }) {
            result.append(end(other, as: .expired, now: now))
        }
        let seconds = ack.options.uint32(.leaseTime) ?? defaultLeaseTime
        let expires = Int64(now) + Int64(seconds)  // infinite (0xffffffff): 136 years
        let lease = Lease(
            ip: ip, mac: mac, clientID: ack.clientIdentifier, state: .bound, subnet: Self.subnet(of: ip, ack),
            className: match.className, hostname: ack.hostName ?? info?.hostname, expires: expires,
            updated: Int64(now), origin: .observed, server: ack.serverIdentifier ?? source)
        bound[mac] = lease
        result.leases.append(lease)
        result.events.append(LeaseEvent(
            time: now, kind: renewal ? .renewed : .leased, mac: mac, ip: ip, className: match.className,
            origin: .observed))
        return result
    }

    private mutating func end(_ lease: Lease, as kind: LeaseEvent.Kind, now: Double) -> Result {
        bound[lease.mac] = nil
        lastACK[lease.mac] = nil
        var ended = lease
        ended.state = switch kind {
        case .released: .released
        case .declined: .declined
        default: .expired
        }
        ended.updated = Int64(now)
        return Result(leases: [ended], events: [LeaseEvent(
            time: now, kind: kind, mac: lease.mac, ip: lease.ip, className: lease.className, origin: .observed)])
    }

    private mutating func remember(_ request: DHCPMessage, mac: MACAddress) {
        let vendorClass = request.vendorClassIdentifier
        let hostname = request.hostName
        guard vendorClass != nil || hostname != nil else { return }
        if clientInfo.count >= Self.clientInfoLimit, clientInfo[mac] == nil { clientInfo.removeAll(keepingCapacity: true) }
        clientInfo[mac] = (vendorClass, hostname)
    }

    /// The subnet in CIDR text from option 1, else the address alone (/32).
    static func subnet(of ip: IPv4Address, _ ack: DHCPMessage) -> String {
        guard let mask = ack.options.ipv4(.subnetMask)?.value, mask != 0,
              mask.leadingZeroBitCount == 0, (~mask) & (~mask &+ 1) == 0 else { return "\(ip)/32" }
        return "\(IPv4Address(ip.value & mask))/\(mask.nonzeroBitCount)"
    }
}

extension LeaseLearner.Result {
    mutating func append(_ other: Self) {
        leases += other.leases
        events += other.events
    }
}
