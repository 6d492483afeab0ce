import DHCPv4
import NIOCore

/// What a phone keeps from its DHCP ACK.
public struct DHCPLease: Sendable, Equatable {
    public var address: IPv4Address
    public var server: IPv4Address?
    /// Option 66 (the provisioning URL), then option 43 as the fallback.
    public var provisioningURL: String?
    /// Option 51, seconds; `nil` when the server sent none (infinite).
    public var leaseTime: UInt32?

    /// When to renew: half the lease (T1, RFC 2131 §4.4.5), at least 1 s;
    /// `nil` for an infinite lease.
    public var renewAfter: Duration? {
        guard let leaseTime, leaseTime != UInt32.max else { return nil }
        return .seconds(max(1, Int(leaseTime / 2)))
    }
}

/// One phone's DISCOVER → OFFER → REQUEST → ACK through the relay agent,
/// retransmitting with backoff (4 s, 8 s, 16 s, 16 s...) until a deadline.
public struct DHCPLeaseClient: Sendable {
    public var relay: DHCPRelayAgent
    public var mac: MACAddress
    /// The parameter request list (option 55) a Fanvil phone sends.
    public static let requestedOptions: [UInt8] = [1, 3, 6, 15, 42, 43, 66]
    public static let firstTimeout = TimeAmount.seconds(4)
    public static let maximumTimeout = TimeAmount.seconds(16)

    public init(relay: DHCPRelayAgent, mac: MACAddress) {
        self.relay = relay
        self.mac = mac
    }

    /// A lease, or `nil` when the server did not complete the exchange
    /// before `deadline` (or answered NAK, or the task was cancelled).
    public func acquire(deadline: NIODeadline, previous: IPv4Address? = nil) async -> DHCPLease? {
        let xid = UInt32.random(in: 1...UInt32.max)
        var discover = message(.discover, xid: xid)
        if let previous { discover.options.set(.requestedIPAddress, ipv4: previous) }
        guard let offer = await send(discover, accepting: [.offer], deadline: deadline),
              !offer.yiaddr.isUnspecified else { return nil }
        var request = message(.request, xid: xid)
        request.options.set(.requestedIPAddress, ipv4: offer.yiaddr)
        if let server = offer.serverIdentifier { request.options.set(.serverIdentifier, ipv4: server) }
        guard let ack = await send(request, accepting: [.ack, .nak], deadline: deadline),
              ack.messageType == .ack else { return nil }
        let address = ack.yiaddr.isUnspecified ? offer.yiaddr : ack.yiaddr
        let url = ack.options.string(.tftpServerName) ?? offer.options.string(.tftpServerName)
            ?? ack.options.string(.vendorSpecific)
        return DHCPLease(address: address, server: ack.serverIdentifier ?? offer.serverIdentifier, provisioningURL: url,
                         leaseTime: ack.options.uint32(.leaseTime))
    }

    private func message(_ type: MessageType, xid: UInt32) -> DHCPMessage {
        var message = DHCPMessage(op: .bootRequest, xid: xid)
        message.clientMAC = mac
        message.messageType = type
        message.options[.parameterRequestList] = Self.requestedOptions
        message.options.set(.maxMessageSize, uint16: 1500)
        return message
    }

    /// Sends and retransmits with doubling timeouts until an accepted reply
    /// or the deadline.
    private func send(_ message: DHCPMessage, accepting: Set<MessageType>, deadline: NIODeadline) async -> DHCPMessage? {
        var timeout = Self.firstTimeout
        var secs: UInt16 = 0
        while !Task.isCancelled {
            let left = deadline - .now()
            guard left > .zero else { return nil }
            var attempt = message
            attempt.secs = secs
            if let reply = await relay.exchange(attempt, accepting: accepting, timeout: min(timeout, left)) {
                return reply
            }
            secs &+= UInt16(clamping: timeout.nanoseconds / 1_000_000_000)
            timeout = min(timeout * 2, Self.maximumTimeout)
        }
        return nil
    }
}
