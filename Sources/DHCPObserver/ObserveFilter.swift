import DHCPServer
import DHCPv4

/// Which clients observe mode learns leases for: a MAC a client class
/// matches (OUI, exact MAC, or the vendor class the client sent in its own
/// request), or else a device already in the inventory. Every other
/// client's ACK is ignored: observe mode follows the phones, not the LAN.
public struct ObserveFilter: Sendable {
    /// Why a client counts.
    public enum Match: Sendable, Equatable {
        /// The first client class that matches, by name.
        case clientClass(String)
        /// No class matches, but the MAC is an inventory device.
        case inventory

        /// The class name recorded on the lease and its events.
        public var className: String? {
            if case .clientClass(let name) = self { return name }
            return nil
        }
    }

    public var classes: [ClientClass]
    /// Asked only when no class matches (a store read in `serve`).
    public var isInventoryDevice: @Sendable (MACAddress) -> Bool

    public init(classes: [ClientClass], isInventoryDevice: @escaping @Sendable (MACAddress) -> Bool = { _ in false }) {
        self.classes = classes
        self.isInventoryDevice = isInventoryDevice
    }

    public func match(mac: MACAddress, vendorClass: String?) -> Match? {
        if let hit = classes.first(where: { $0.matches(mac: mac, vendorClass: vendorClass) }) {
            return .clientClass(hit.name)
        }
        return isInventoryDevice(mac) ? .inventory : nil
    }
}
