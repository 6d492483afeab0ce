import DHCPv4

/// The validated `sip_pnp` section.
public struct SIPPnPSettings: Sendable, Equatable {
    public var enabled = false
    /// One socket each, bound to the interface, joined to `group` on it.
    public var interfaces: [String] = []
    public var port = 5060
    public var group = IPv4Address(224, 0, 1, 75)
    /// The provisioning URL told; `$mac` is replaced by the subscriber's MAC
    /// (12 lowercase hex digits).
    public var url = ""
    /// MACs answered besides inventory devices: the DHCP classes' OUIs and MACs.
    public var ouis: Set<UInt32> = []
    public var macs: Set<MACAddress> = []

    public init() {}

    /// Whether `mac` matches a class (the inventory is asked separately).
    public func matchesClass(_ mac: MACAddress) -> Bool {
        macs.contains(mac) || ouis.contains(mac.oui)
    }
}
