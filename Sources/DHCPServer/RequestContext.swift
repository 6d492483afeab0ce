import DHCPv4
import Store

/// The interface a request arrived on.
public struct InterfaceBinding: Sendable, Equatable {
    public var name: String
    /// Our address on it; the server identifier in replies.
    public var address: IPv4Address
    /// Index of the subnet the interface address lies in.
    public var subnetIndex: Int

    public init(name: String, address: IPv4Address, subnetIndex: Int) {
        self.name = name
        self.address = address
        self.subnetIndex = subnetIndex
    }
}

/// Everything one request's handlers read and build, passed down the chain.
struct RequestContext {
    let request: DHCPMessage
    let interface: InterfaceBinding
    let now: Int64
    let mac: MACAddress
    let type: MessageType

    var subnetIndex: Int?
    var clientClass: ClientClass?
    var reservation: Reservation?
    /// The reply being built; `nil` until the lease handler decides one.
    var reply: DHCPMessage?
    /// Lease rows and events to commit before `reply` may be sent.
    var leases: [Lease] = []
    var events: [LeaseEvent] = []
    /// Set by the lease handler when the reply carries an address lease.
    var leaseTime: UInt32?
}

/// The result of one handler.
enum HandlerResult {
    /// Go on with the next handler.
    case next
    /// Stop the chain; the context is final.
    case done
    /// No answer, with a reason and a detail for the log.
    case drop(DropReason, String)
}

/// One step of request handling (coredhcp's handler contract): reads and
/// updates the context; only the lease handler touches the lease table.
protocol DHCPHandler: Sendable {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult
}
