import DHCPv4
import Foundation
import Store

/// Which address a device holds right now, and who holds an address: the
/// source-address half of authorising a fetch.
public protocol LeaseLookup: Sendable {
    /// Whether `mac` holds a bound lease of `address` right now.
    func holds(_ mac: MACAddress, address: IPv4Address, now: Int64) -> Bool
    func boundDevice(at ip: IPv4Address, now: Int64) -> MACAddress?
}

/// Reads the lease table of the store (shared with the DHCP server, or
/// written by another DHCP server observed later).
public struct StoreLeaseLookup: LeaseLookup {
    let store: any LeaseStore

    public init(store: any LeaseStore) {
        self.store = store
    }

    public func holds(_ mac: MACAddress, address: IPv4Address, now: Int64) -> Bool {
        let leases = (try? store.leases(matching: LeaseFilter(mac: mac, state: .bound), now: now)) ?? []
        return leases.contains { $0.ip == address }
    }

    public func boundDevice(at ip: IPv4Address, now: Int64) -> MACAddress? {
        let leases = (try? store.leases(matching: LeaseFilter(ip: ip, state: .bound), now: now)) ?? []
        return leases.first?.mac
    }
}
