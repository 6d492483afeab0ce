import DHCPv4

/// Which address a device holds right now, and who holds an address: the
/// source-address half of authorising a fetch.
public protocol LeaseLookup: Sendable {
    /// Whether `mac` holds a bound lease of `address` right now.
    func holds(_ mac: MACAddress, address: IPv4Address, now: Int64) -> Bool
    func boundDevice(at ip: IPv4Address, now: Int64) -> MACAddress?
}
