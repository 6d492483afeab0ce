import DHCPv4
import Store

/// Where the phone routes read devices and groups.
public protocol DeviceDirectory: Sendable {
    func device(_ mac: MACAddress) throws -> Device?
    func group(_ name: String) throws -> DeviceGroup?
}
