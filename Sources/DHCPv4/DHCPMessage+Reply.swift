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
        reply.chaddr = request.chaddr
        reply.flags = request.flags
        reply.giaddr = request.giaddr
        reply.messageType = type
        reply.options.set(.serverIdentifier, ipv4: serverIdentifier)
        if let relay = request.relayAgentInformation { reply.options[.relayAgentInformation] = relay }
        if let clientID = request.clientIdentifier { reply.options[.clientIdentifier] = clientID }
        return reply
    }

    /// Applies modifiers in order; returns the modified copy.
    public func with(_ modifiers: (inout DHCPMessage) -> Void...) -> DHCPMessage {
        var copy = self
        for modify in modifiers { modify(&copy) }
        return copy
    }
}
