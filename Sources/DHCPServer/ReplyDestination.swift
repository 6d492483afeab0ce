import DHCPv4

/// Where a reply goes (RFC 2131 §4.1, "the server sends..." rules).
public struct ReplyDestination: Sendable, Equatable {
    public var address: IPv4Address
    public var port: Int

    public init(address: IPv4Address, port: Int) {
        self.address = address
        self.port = port
    }

    /// - giaddr set: to the relay, at the server port;
    /// - NAK: broadcast (the client may not hold any address);
    /// - ciaddr set: unicast to it (renewing, rebinding, inform);
    /// - otherwise broadcast: the broadcast bit was set, or the client has no
    ///   address yet and this UDP transport cannot address its chaddr.
    public static func forReply(_ reply: DHCPMessage, to request: DHCPMessage, serverPort: Int) -> ReplyDestination {
        let clientPort = serverPort + 1
        if !request.giaddr.isUnspecified { return .init(address: request.giaddr, port: serverPort) }
        if reply.messageType == .nak { return .init(address: .broadcast, port: clientPort) }
        if !request.ciaddr.isUnspecified { return .init(address: request.ciaddr, port: clientPort) }
        return .init(address: .broadcast, port: clientPort)
    }
}
