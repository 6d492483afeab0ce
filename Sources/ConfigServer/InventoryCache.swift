import DHCPv4
import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Devices, groups and bound leases held in memory for the phone routes,
/// so that serving a file reads no database. It follows the store through
/// two cheap numbers, the inventory's change sequence and the newest lease
/// event, which it reads when `changes` says a commit in this process
/// changed the store (a lease granted, an admin's edit; at most every 100 ms
/// under load), and otherwise every `interval` (for another process writing
/// the same file, such as the CLI).
/// A device or lease it does not know yet (a phone that got its lease a
/// millisecond ago) is read from the store on the spot, so it is never a
/// reason to refuse.
public final class InventoryCache: Service, LeaseLookup, DeviceDirectory, Sendable {
    struct State {
        var sequence: Int64 = -1
        var devices: [MACAddress: Device] = [:]
        var groups: [String: DeviceGroup] = [:]
        var leasesLoaded = false
        var lastLeaseEvent: Int64 = 0
        /// mac -> (address, expiry) of its bound lease; from events the expiry
        /// is open: the expiry sweep's event ends it.
        var bound: [MACAddress: (ip: IPv4Address, expires: Int64)] = [:]
    }

    let inventory: any InventoryStore
    let leases: any LeaseStore
    let changes: ChangeSignal
    let interval: Duration
    /// At most one refresh per `settle` while the store keeps changing.
    let settle: Duration = .milliseconds(100)
    let logger: Logger
    private let state = Mutex(State())

    public init(
        inventory: any InventoryStore, leases: any LeaseStore, changes: ChangeSignal = ChangeSignal(),
        interval: Duration = .seconds(1), logger: Logger
    ) {
        self.inventory = inventory
        self.leases = leases
        self.changes = changes
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.changes.follow(settle: self.settle, fallback: self.interval) { self.refresh() }
        }
    }

    /// Brings the cache up to date with the store (also called by tests).
    public func refresh(now: Int64 = Int64(Date().timeIntervalSince1970)) {
        do {
            let sequence = try inventory.changeSequence()
            if sequence != state.withLock({ $0.sequence }) {
                let devices = try inventory.devices(group: nil, state: nil)
                let groups = try inventory.groups()
                state.withLock { s in
                    s.sequence = sequence
                    s.devices = Dictionary(devices.map { ($0.mac, $0) }, uniquingKeysWith: { $1 })
                    s.groups = Dictionary(groups.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
                }
            }
            try refreshLeases(now: now)
        } catch {
            logger.error("inventory cache not refreshed", metadata: ["error": "\(error)"])
        }
    }

    func refreshLeases(now: Int64) throws {
        let (loaded, start) = state.withLock { ($0.leasesLoaded, $0.lastLeaseEvent) }
        var after = start
        if !loaded {
            // First time: every bound lease, then follow the events.
            let last = try leases.lastEventID()
            let bound = try leases.leases(matching: LeaseFilter(state: .bound), now: now)
            state.withLock { s in
                s.leasesLoaded = true
                s.lastLeaseEvent = last
                for lease in bound { s.bound[lease.mac] = (lease.ip, lease.expires) }
            }
            return
        }
        // Follow the lease events: a grant or renewal says who holds which
        // address; a release, decline or expiry ends it. No per-lease read,
        // so a DHCP burst of thousands of grants costs a few queries.
        while true {
            let events = try leases.events(after: after, limit: 1000)
            guard let newest = events.last?.id else { return }
            state.withLock { s in
                s.lastLeaseEvent = newest
                for event in events {
                    switch event.kind {
                    case .leased, .renewed:
                        s.bound[event.mac] = (event.ip, Int64.max)
                    case .released, .declined, .expired:
                        if s.bound[event.mac]?.ip == event.ip { s.bound[event.mac] = nil }
                    }
                }
            }
            after = newest
            if events.count < 1000 { return }
        }
    }

    /// The device, from memory or else from the store.
    public func device(_ mac: MACAddress) throws -> Device? {
        if let device = state.withLock({ $0.devices[mac] }) { return device }
        guard let device = try inventory.device(mac) else { return nil }
        state.withLock { $0.devices[mac] = device }
        return device
    }

    public func group(_ name: String) throws -> DeviceGroup? {
        if let group = state.withLock({ $0.groups[name] }) { return group }
        return try inventory.group(name)
    }

    /// From memory when it agrees; anything else (unknown, another
    /// address, expired) is checked in the store, so a lease granted a
    /// moment ago is never refused.
    public func holds(_ mac: MACAddress, address: IPv4Address, now: Int64) -> Bool {
        if let lease = state.withLock({ $0.bound[mac] }), lease.ip == address, lease.expires > now { return true }
        let bound = (try? leases.leases(matching: LeaseFilter(mac: mac, state: .bound), now: now)) ?? []
        guard let lease = bound.first(where: { $0.ip == address }) else { return false }
        state.withLock { $0.bound[mac] = (lease.ip, lease.expires) }
        return true
    }

    public func boundDevice(at ip: IPv4Address, now: Int64) -> MACAddress? {
        let leases = (try? leases.leases(matching: LeaseFilter(ip: ip, state: .bound), now: now)) ?? []
        return leases.first?.mac
    }
}
