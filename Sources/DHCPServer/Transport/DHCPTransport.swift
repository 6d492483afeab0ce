import DHCPv4

/// Sends DHCP replies out of one interface. The UDP implementation is
/// `UDPTransport`; a raw (libpcap) one can stand behind the same protocol.
public protocol DHCPTransport: Sendable {
    var binding: InterfaceBinding { get }
    func send(_ datagram: [UInt8], to destination: ReplyDestination)
    func close() async
}
