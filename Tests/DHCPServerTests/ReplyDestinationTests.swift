import DHCPServer
import DHCPv4
import Testing

/// RFC 2131 §4.1, "the server sends...": one row per rule, in the order the
/// rules apply.
@Suite struct ReplyDestinationTests {
    static let client = MACAddress("0c:38:3e:07:e1:6c")!
    static let yiaddr = IPv4Address("192.0.2.100")!
    static let ciaddr = IPv4Address("192.0.2.77")!
    static let relay = IPv4Address("198.51.100.1")!

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var reply: MessageType = .offer
        var ciaddr: IPv4Address = .any
        var giaddr: IPv4Address = .any
        var broadcast = false
        var yiaddr: IPv4Address = ReplyDestinationTests.yiaddr
        var htype: UInt8 = 1
        var expected: ReplyDestination
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "relayed: to giaddr at the server port, next hop by ARP",
            giaddr: relay, broadcast: true, expected: .init(address: relay, port: 67, link: .resolved)),
        Row(name: "relayed NAK: to the relay too (it broadcasts)",
            reply: .nak, giaddr: relay, yiaddr: .any, expected: .init(address: relay, port: 67, link: .resolved)),
        Row(name: "NAK without relay: broadcast, even with ciaddr",
            reply: .nak, ciaddr: ciaddr, yiaddr: .any, expected: .init(address: .broadcast, port: 68, link: .broadcast)),
        Row(name: "ciaddr (renewing): unicast to ciaddr, next hop by ARP",
            reply: .ack, ciaddr: ciaddr, broadcast: true, expected: .init(address: ciaddr, port: 68, link: .resolved)),
        Row(name: "no address, broadcast bit set: broadcast",
            broadcast: true, expected: .init(address: .broadcast, port: 68, link: .broadcast)),
        Row(name: "no address, broadcast bit clear: to chaddr at yiaddr",
            expected: .init(address: yiaddr, port: 68, link: .hardware(client))),
        Row(name: "ACK, no address, broadcast bit clear: to chaddr at yiaddr",
            reply: .ack, expected: .init(address: yiaddr, port: 68, link: .hardware(client))),
        Row(name: "no yiaddr (INFORM without ciaddr): broadcast",
            reply: .ack, yiaddr: .any, expected: .init(address: .broadcast, port: 68, link: .broadcast)),
        Row(name: "chaddr not Ethernet: broadcast",
            htype: 6, expected: .init(address: .broadcast, port: 68, link: .broadcast)),
    ]

    @Test(arguments: rows)
    func destination(_ row: Row) {
        var request = DHCPMessage(op: .bootRequest, xid: 1)
        request.htype = row.htype
        request.chaddr = Self.client.bytes
        request.ciaddr = row.ciaddr
        request.giaddr = row.giaddr
        request.flags = row.broadcast ? DHCPMessage.broadcastFlag : 0
        var reply = DHCPMessage.reply(to: request, type: row.reply, serverIdentifier: IPv4Address("192.0.2.1")!)
        reply.yiaddr = row.yiaddr
        #expect(ReplyDestination.forReply(reply, to: request, serverPort: 67) == row.expected)
    }

    @Test func aConfiguredServerPortMovesBothPorts() {
        var request = DHCPMessage(op: .bootRequest, xid: 1)
        request.flags = DHCPMessage.broadcastFlag
        let reply = DHCPMessage.reply(to: request, type: .offer, serverIdentifier: IPv4Address("192.0.2.1")!)
        #expect(ReplyDestination.forReply(reply, to: request, serverPort: 1067).port == 1068)
        request.giaddr = Self.relay
        #expect(ReplyDestination.forReply(reply, to: request, serverPort: 1067).port == 1067)
    }

    @Test func theShortInitializerInfersTheLinkFromTheAddress() {
        #expect(ReplyDestination(address: .broadcast, port: 68).link == .broadcast)
        #expect(ReplyDestination(address: Self.ciaddr, port: 68).link == .resolved)
    }
}
