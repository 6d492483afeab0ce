import DHCPv4
import Store

/// What an address held in the lease table before a request changed it
/// (nil: nothing). A request whose commit never happens (refused by the
/// commit queue, or failed) is undone with it: nobody was told of the
/// change, so the address must not stay bound for a whole lease time, and
/// a refused renewal must leave the client the lease it still has.
public struct LeaseUndo: Sendable {
    public var ip: IPv4Address
    public var previous: Lease?
}
