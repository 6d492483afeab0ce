import DHCPv4
import Store

/// The server's view of every address it knows, in memory, rebuilt from the
/// store at start. Mutated only under the engine's lock; every change that a
/// client will hear of is committed to the store before the reply is sent.
struct LeaseTable {
    private(set) var byIP: [UInt32: Lease] = [:]
    /// The last address each MAC held (any state): the same MAC gets it back.
    private(set) var byMAC: [MACAddress: UInt32] = [:]
    /// Reserved address → the MAC it is reserved for.
    private(set) var reservedIPs: [UInt32: MACAddress]
    /// Per subnet and pool: where the scan for a never-used address resumes.
    private var freshCursor: [Int: UInt32] = [:]
    /// While a request is handled: what each address it changed held
    /// before (the first change counts), so that the change can be undone
    /// if its commit never happens.
    private var journal: [LeaseUndo]?

    init(leases: [Lease], reservations: [Reservation]) {
        reservedIPs = Self.reserved(reservations)
        for lease in leases {
            byIP[lease.ip.value] = lease
            if lease.state != .declined { byMAC[lease.mac] = lease.ip.value }
        }
    }

    static func reserved(_ reservations: [Reservation]) -> [UInt32: MACAddress] {
        Dictionary(reservations.map { ($0.ip.value, $0.mac) }, uniquingKeysWith: { a, _ in a })
    }

    /// New reservations and pools (a reload): leases are kept as they are,
    /// the fresh-address scan starts over.
    mutating func reconfigure(reservations: [Reservation]) {
        reservedIPs = Self.reserved(reservations)
        freshCursor = [:]
    }

    func lease(at ip: IPv4Address) -> Lease? { byIP[ip.value] }

    /// The lease currently associated with `mac`, in any state.
    func lease(for mac: MACAddress) -> Lease? {
        guard let ip = byMAC[mac], let lease = byIP[ip], lease.mac == mac else { return nil }
        return lease
    }

    /// True when `ip` can be given to `mac` now.
    func isAvailable(_ ip: IPv4Address, for mac: MACAddress, now: Int64) -> Bool {
        if let owner = reservedIPs[ip.value], owner != mac { return false }
        guard let lease = byIP[ip.value] else { return true }
        switch lease.state {
        case .declined: return lease.expires <= now
        case .bound, .offered: return lease.mac == mac || lease.expires <= now
        case .released, .expired: return true
        }
    }

    /// Picks an address for `mac` in `subnet`: its previous one when still
    /// available, else a never-used address, else the least recently used
    /// released or expired one. `nil` when the pool is exhausted.
    mutating func allocate(in subnet: Subnet, subnetIndex: Int, for mac: MACAddress, now: Int64) -> IPv4Address? {
        if let previous = byMAC[mac], subnet.inPool(IPv4Address(previous)),
           isAvailable(IPv4Address(previous), for: mac, now: now) {
            return IPv4Address(previous)
        }
        for (poolIndex, pool) in subnet.pools.enumerated() {
            let key = subnetIndex << 16 | poolIndex
            var candidate = max(freshCursor[key] ?? pool.lowerBound.value, pool.lowerBound.value)
            while candidate <= pool.upperBound.value {
                if byIP[candidate] == nil && reservedIPs[candidate] == nil {
                    freshCursor[key] = candidate
                    return IPv4Address(candidate)
                }
                if candidate == UInt32.max { break }
                candidate += 1
            }
            freshCursor[key] = candidate
        }
        var best: Lease?
        for pool in subnet.pools {
            var value = pool.lowerBound.value
            while true {
                if let lease = byIP[value], isAvailable(lease.ip, for: mac, now: now),
                   best == nil || lease.updated < best!.updated {
                    best = lease
                }
                if value == pool.upperBound.value { break }
                value += 1
            }
        }
        return best?.ip
    }

    /// Starts recording what `put` replaces (`endJournal` returns it).
    mutating func beginJournal() { journal = [] }

    mutating func endJournal() -> [LeaseUndo] {
        defer { journal = nil }
        return journal ?? []
    }

    /// Puts back what `ip` held before (nothing: the address is unknown again).
    mutating func restore(_ undo: LeaseUndo) {
        if let previous = undo.previous {
            put(previous)
        } else if let removed = byIP.removeValue(forKey: undo.ip.value), byMAC[removed.mac] == undo.ip.value {
            byMAC[removed.mac] = nil
        }
    }

    mutating func put(_ lease: Lease) {
        if journal != nil, !journal!.contains(where: { $0.ip == lease.ip }) {
            journal!.append(LeaseUndo(ip: lease.ip, previous: byIP[lease.ip.value]))
        }
        if let old = byIP[lease.ip.value], old.mac != lease.mac, byMAC[old.mac] == lease.ip.value {
            byMAC[old.mac] = nil
        }
        byIP[lease.ip.value] = lease
        if lease.state == .declined {
            if byMAC[lease.mac] == lease.ip.value { byMAC[lease.mac] = nil }
        } else {
            byMAC[lease.mac] = lease.ip.value
        }
    }

    /// Counts per state at `now`, for metrics and `check-config`.
    func bound(in subnet: Subnet, now: Int64) -> Int {
        byIP.values.reduce(0) { $0 + ($1.effectiveState(at: now) == .bound && subnet.contains($1.ip) ? 1 : 0) }
    }

    /// Bound leases in `subnet`, and how many of them are in its pools.
    func occupancy(of subnet: Subnet, now: Int64) -> (bound: Int, inPool: Int) {
        var bound = 0, inPool = 0
        for lease in byIP.values where lease.effectiveState(at: now) == .bound && subnet.contains(lease.ip) {
            bound += 1
            if subnet.inPool(lease.ip) { inPool += 1 }
        }
        return (bound, inPool)
    }
}

extension LeaseTable {
    /// Bound leases whose time is up, turned `expired` (returned for commit).
    mutating func expire(now: Int64) -> [Lease] {
        var expired: [Lease] = []
        for (_, lease) in byIP where lease.state == .bound && lease.expires <= now {
            var changed = lease
            changed.state = .expired
            changed.updated = now
            expired.append(changed)
        }
        for lease in expired { byIP[lease.ip.value] = lease }
        return expired.sorted { $0.ip < $1.ip }
    }
}
