import DHCPv4
import Store

/// Where the phone routes read devices and groups.
public protocol DeviceDirectory: Sendable {
    func device(_ mac: MACAddress) throws -> Device?
    func group(_ name: String) throws -> DeviceGroup?
}

/// Straight from the store, no cache (tools and tests).
public struct StoreDeviceDirectory: DeviceDirectory {
    let store: any InventoryStore
    public init(store: any InventoryStore) { self.store = store }
    public func device(_ mac: MACAddress) throws -> Device? { try store.device(mac) }
    public func group(_ name: String) throws -> DeviceGroup? { try store.group(name) }
}
