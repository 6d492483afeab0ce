import DHCPv4
import PacketCapture

/// Turns a reply into the Ethernet/IPv4/UDP frame `PcapTransport` injects,
/// following the link choice `ReplyDestination` made. Pure, no I/O.
///
/// Only replies to clients that cannot answer ARP are framed here
/// (broadcast, or unicast to chaddr at yiaddr). Replies to an address that
/// answers ARP (a relay's giaddr, a client's ciaddr) return nil: they go
/// through the kernel, which routes them and resolves the next hop's MAC
/// (neighbour table, ARP), exactly as the UDP transport's do.
public struct ReplyFramer: Sendable, Equatable {
    /// The interface's own MAC and address: the frame's sources.
    public var sourceMAC: MACAddress
    public var sourceIP: IPv4Address
    /// The server port, the UDP source port of every reply.
    public var serverPort: Int

    public init(sourceMAC: MACAddress, sourceIP: IPv4Address, serverPort: Int) {
        self.sourceMAC = sourceMAC
        self.sourceIP = sourceIP
        self.serverPort = serverPort
    }

    public static let broadcastMAC = MACAddress(value: 0xFFFF_FFFF_FFFF)

    /// The frame for `datagram`, or nil when the kernel must send it.
    public func frame(for datagram: OutboundDatagram) -> UDPFrame? {
        let destinationMAC: MACAddress
        let destinationIP: IPv4Address
        switch datagram.destination.link {
        case .resolved:
            return nil
        case .broadcast:
            (destinationMAC, destinationIP) = (Self.broadcastMAC, .broadcast)
        case let .hardware(mac):
            (destinationMAC, destinationIP) = (mac, datagram.destination.address)
        }
        return UDPFrame(
            sourceMAC: sourceMAC, destinationMAC: destinationMAC, sourceIP: sourceIP, destinationIP: destinationIP,
            sourcePort: UInt16(truncatingIfNeeded: serverPort),
            destinationPort: UInt16(truncatingIfNeeded: datagram.destination.port), payload: datagram.bytes)
    }
}
