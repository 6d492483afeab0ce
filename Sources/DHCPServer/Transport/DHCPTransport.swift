import DHCPv4

/// One encoded reply and where it goes.
public struct OutboundDatagram: Sendable {
    public var bytes: [UInt8]
    public var destination: ReplyDestination
    public init(bytes: [UInt8], destination: ReplyDestination) {
        self.bytes = bytes
        self.destination = destination
    }
}

/// What to do with one received request, decided by the server logic.
public enum ReceiveDecision: Sendable {
    case none
    /// Send now (no lease change to commit first).
    case reply(OutboundDatagram)
    /// Commit the lease change, then send its reply (through `send`).
    case commitThenReply(PendingCommit)
}

/// Handles one DHCP payload received on a transport.
public typealias DHCPReceive = @Sendable ([UInt8], any DHCPTransport) -> ReceiveDecision
/// Takes a burst's lease changes; their replies are sent (through the
/// transport's `send`) once committed.
public typealias DHCPCommit = @Sendable ([PendingCommit], any DHCPTransport) -> Void

/// Receives requests on and sends replies out of one interface. Flavours:
/// `UDPTransport` (a kernel UDP socket) and `PcapTransport` (whole frames
/// through libpcap, `transport: raw`). Both hand each request to a
/// `DHCPReceive` and batch lease changes into a `DHCPCommit`.
public protocol DHCPTransport: Sendable {
    var binding: InterfaceBinding { get }
    /// Sends a batch with as few system calls as the transport allows.
    func send(_ batch: [OutboundDatagram])
    func close() async
    /// Frames the kernel dropped before the transport read them (libpcap
    /// ring overruns); nil when the transport has no such counter.
    var captureDrops: UInt64? { get }
}

extension DHCPTransport {
    public var captureDrops: UInt64? { nil }
}
