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

/// Sends DHCP replies out of one interface. The UDP implementation is
/// `UDPTransport`; a raw (libpcap) one can stand behind the same protocol.
public protocol DHCPTransport: Sendable {
    var binding: InterfaceBinding { get }
    /// Sends a batch with as few system calls as the transport allows.
    func send(_ batch: [OutboundDatagram])
    func close() async
}
