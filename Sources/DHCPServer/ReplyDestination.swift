import DHCPv4

/// Where a reply goes (RFC 2131 §4.1, "the server sends..." rules): the IP
/// address and UDP port, and how the link-layer destination is chosen.
/// The rule is decided once, here; each transport maps it to what it can
/// send (`UDPTransport`: a datagram; `PcapTransport`: a whole frame).
public struct ReplyDestination: Sendable, Equatable {
    /// How the Ethernet destination of a reply is chosen.
    public enum Link: Sendable, Equatable {
        /// ff:ff:ff:ff:ff:ff (the address is 255.255.255.255).
        case broadcast
        /// The client's hardware address (chaddr), the address being the
        /// `yiaddr` it does not hold yet, so it cannot answer ARP for it.
        /// A UDP socket cannot send that: it broadcasts instead.
        case hardware(MACAddress)
        /// An address that answers ARP (a relay, a client's ciaddr): the
        /// kernel routes it and resolves the next hop.
        case resolved
    }

    public var address: IPv4Address
    public var port: Int
    public var link: Link

    public init(address: IPv4Address, port: Int, link: Link? = nil) {
        self.address = address
        self.port = port
        self.link = link ?? (address == .broadcast ? .broadcast : .resolved)
    }

    /// - giaddr set: to the relay, at the server port;
    /// - NAK: broadcast (the client may not hold any address);
    /// - ciaddr set: unicast to it (renewing, rebinding, inform);
    /// - broadcast bit set: broadcast;
    /// - otherwise unicast to chaddr at yiaddr ("If the broadcast bit is not
    ///   set and giaddr is zero and ciaddr is zero, then the server unicasts
    ///   DHCPOFFER and DHCPACK messages to the client's hardware address and
    ///   'yiaddr' address"); broadcast when there is no yiaddr or chaddr is
    ///   not an Ethernet address.
    public static func forReply(_ reply: DHCPMessage, to request: DHCPMessage, serverPort: Int) -> ReplyDestination {
        let clientPort = serverPort + 1
        if !request.giaddr.isUnspecified { return .init(address: request.giaddr, port: serverPort, link: .resolved) }
        if reply.messageType == .nak { return .init(address: .broadcast, port: clientPort, link: .broadcast) }
        if !request.ciaddr.isUnspecified { return .init(address: request.ciaddr, port: clientPort, link: .resolved) }
        if !request.broadcastRequested, !reply.yiaddr.isUnspecified, let mac = request.clientMAC {
            return .init(address: reply.yiaddr, port: clientPort, link: .hardware(mac))
        }
        return .init(address: .broadcast, port: clientPort, link: .broadcast)
    }
}
