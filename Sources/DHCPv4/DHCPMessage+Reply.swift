/// Reply construction as small modifiers (after insomniacslk/dhcp `modifiers.go`).
extension DHCPMessage {
    /// A BOOTREPLY to `request` of the given type: copies xid, flags, giaddr,
    /// htype/hlen/chaddr, and echoes option 82 (RFC 3046 §2.2) and the client
    /// identifier 61 (RFC 6842 §3); sets the server identifier.
    public static func reply(
        to request: DHCPMessage, type: MessageType, serverIdentifier: IPv4Address
    ) -> DHCPMessage {
        var reply = DHCPMessage(op: .bootReply, xid: request.xid)
        reply.htype = request.htype
        reply.hlen = request.hlen
        reply.copyChaddr(from: request)
        reply.flags = request.flags
        reply.giaddr = request.giaddr
        reply.messageType = type
        reply.options.set(.serverIdentifier, ipv4: serverIdentifier)
        reply.options.reserve(options: 16, bytes: 160)
        if let relay = request.options.value(.relayAgentInformation) { reply.options.replace(.relayAgentInformation, with: relay) }
        if let clientID = request.options.value(.clientIdentifier) { reply.options.replace(.clientIdentifier, with: clientID) }
        return reply
    }

    /// Applies modifiers in order; returns the modified copy.
    public func with(_ modifiers: (inout DHCPMessage) -> Void...) -> DHCPMessage {
        var copy = self
        for modify in modifiers { modify(&copy) }
        return copy
    }
}
