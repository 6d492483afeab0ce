import DHCPv4

/// Persistent leases and their events. Implementations must make `commit`
/// atomic and durable: when it returns, every lease and event in it survives
/// a crash of the process.
public protocol LeaseStore: Sendable {
    /// Every lease row (any state), for rebuilding the server's table at start.
    func allLeases() throws -> [Lease]
    /// Leases matching `filter`, ordered by address.
    func leases(matching filter: LeaseFilter, now: Int64) throws -> [Lease]
    /// Writes leases (upsert by address) and events in one transaction.
    func commit(leases: [Lease], events: [LeaseEvent]) async throws
    /// The same, blocking the calling thread until the commit is durable
    /// (used by the DHCP event loop, which commits once per receive burst).
    func commitBlocking(leases: [Lease], events: [LeaseEvent]) throws
    /// Marks the bound or offered lease(s) of `mac` released and records an
    /// admin event; returns the addresses released.
    func release(mac: MACAddress, now: Int64) throws -> [IPv4Address]
    /// Events with `id > after`, oldest first, at most `limit`.
    func events(after: Int64, limit: Int) throws -> [LeaseEvent]
    /// Of the next `limit` events after `after`, those of `origin`: a
    /// reader that wants the few admin events out of a DHCP flood moves its
    /// cursor without decoding the rest.
    func events(after: Int64, limit: Int, origin: LeaseEvent.Origin) throws -> LeaseEventPage
    /// The id of the newest event, 0 when there is none.
    func lastEventID() throws -> Int64
    /// Periodic upkeep off the commit path (SQLite: the WAL checkpoint).
    func housekeeping() throws
}
