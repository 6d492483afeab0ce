import DHCPv4
import Reloading

extension ServerSettings {
    /// The keys that differ from `new` and that only a restart can change:
    /// the sockets (interfaces, transports, port, receive buffer), the
    /// commit batch, and the subnets themselves (networks, in order: they
    /// index the interface bindings and the pool gauges). Pools, options
    /// and lease times within a subnet, classes, reservations and the
    /// policies can change live.
    public func restartNeeded(toApply new: ServerSettings) -> [String] {
        var keys: [String] = []
        if interfaces != new.interfaces || rawInterfaces != new.rawInterfaces { keys.append("dhcp.interfaces") }
        if port != new.port { keys.append("dhcp.port") }
        if receiveBuffer != new.receiveBuffer { keys.append("dhcp.receive_buffer_kib") }
        if commitBatch != new.commitBatch { keys.append("dhcp.commit_batch") }
        if subnets.map(\.name) != new.subnets.map(\.name) { keys.append("dhcp.subnets (networks or their order)") }
        return keys
    }
}

extension DHCPEngine {
    /// Swaps the settings between two requests. The lease table is kept
    /// whole: a lease outside the new pools or now reserved for another MAC
    /// is not revoked, its client is moved when it next asks, as after a
    /// restart with the same config.
    public func reload(_ new: ServerSettings) throws(ReloadRefusal) {
        try state.withLock { (state: inout State) throws(ReloadRefusal) in
            let keys = state.settings.restartNeeded(toApply: new)
            guard keys.isEmpty else { throw ReloadRefusal(keys: keys) }
            state.table.reconfigure(reservations: new.reservations)
            state.settings = new
        }
    }
}
