import Testing
@testable import DHCPv4

@Suite("reply(to:type:serverIdentifier:) copies what a reply must carry")
struct ReplyTests {
    static let server = IPv4Address(10, 0, 0, 1)

    @Test("A relayed REQUEST: header copied, 82 and 61 echoed, server identifier set")
    func relayedRequest() throws {
        let request = try DHCPMessage.decode(Fixtures.relayedRequest)
        let reply = DHCPMessage.reply(to: request, type: .ack, serverIdentifier: Self.server)
        #expect(reply.op == .bootReply)
        #expect(reply.xid == 0x5a0e_7c11)
        #expect(reply.flags == 0x8000)
        #expect(reply.broadcastRequested)
        #expect(reply.giaddr == IPv4Address(10, 20, 30, 1))
        #expect(reply.htype == 1)
        #expect(reply.hlen == 6)
        #expect(reply.chaddr == request.chaddr)
        #expect(reply.clientMAC == MACAddress("0c:38:3e:11:22:33"))
        #expect(reply.messageType == .ack)
        #expect(reply.serverIdentifier == Self.server)
        #expect(reply.relayAgentInformation == Fixtures.relayAgentInformation)
        #expect(reply.clientIdentifier == [0x01, 0x0c, 0x38, 0x3e, 0x11, 0x22, 0x33])
        // Fields that belong to the server are left for it to fill.
        #expect(reply.hops == 0)
        #expect(reply.secs == 0)
        #expect(reply.ciaddr == .any)
        #expect(reply.yiaddr == .any)
        #expect(reply.siaddr == .any)
        #expect(!reply.options.contains(.requestedIPAddress))
        #expect(!reply.options.contains(.parameterRequestList))
        #expect(reply.options.count == 4)
    }

    @Test("The encoded reply puts option 82 last, just before End")
    func encodedReply() throws {
        let request = try DHCPMessage.decode(Fixtures.relayedRequest)
        let bytes = DHCPMessage.reply(to: request, type: .offer, serverIdentifier: Self.server).encode()
        #expect(DHCPOptionsScan.codes(in: bytes) == [53, 54, 61, 82])
        let back = try DHCPMessage.decode(bytes)
        #expect(back.relayAgentInformation == Fixtures.relayAgentInformation)
        #expect(back.messageType == .offer)
    }

    @Test("A DISCOVER without option 82: nothing invented, 61 still echoed")
    func directDiscover() throws {
        let request = try DHCPMessage.decode(Fixtures.discover)
        let reply = DHCPMessage.reply(to: request, type: .offer, serverIdentifier: Self.server)
        #expect(reply.xid == 0x3903_f326)
        #expect(reply.flags == 0)
        #expect(reply.giaddr == .any)
        #expect(reply.clientMAC == MACAddress("0c:38:3e:07:e1:6c"))
        #expect(reply.relayAgentInformation == nil)
        #expect(reply.clientIdentifier == [0x01, 0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c])
        #expect(reply.options.entries.map(\.code) == [.messageType, .serverIdentifier, .clientIdentifier])
        #expect(!reply.options.contains(.vendorClassIdentifier))
        #expect(!reply.options.contains(.hostName))
    }

    @Test("A non-Ethernet chaddr is copied whole, with htype and hlen")
    func nonEthernetHardware() {
        var request = DHCPMessage(op: .bootRequest, xid: 42)
        request.htype = 6
        request.hlen = 16
        request.chaddr = (1...16).map { UInt8($0) }
        let reply = DHCPMessage.reply(to: request, type: .nak, serverIdentifier: Self.server)
        #expect(reply.htype == 6)
        #expect(reply.hlen == 16)
        #expect(reply.chaddr == (1...16).map { UInt8($0) })
        #expect(reply.clientMAC == nil)
        #expect(reply.messageType == .nak)
    }

    @Test("with(_:) applies modifiers in order on a copy")
    func modifiers() throws {
        let request = try DHCPMessage.decode(Fixtures.discover)
        let base = DHCPMessage.reply(to: request, type: .offer, serverIdentifier: Self.server)
        let offer = base.with(
            { $0.yiaddr = IPv4Address(10, 20, 30, 100) },
            { $0.options.set(.leaseTime, uint32: 3600) },
            { $0.options.set(.tftpServerName, string: "http://10.0.0.1/") },
            { $0.options.set(.leaseTime, uint32: 7200) }
        )
        #expect(offer.yiaddr == IPv4Address(10, 20, 30, 100))
        #expect(offer.options.uint32(.leaseTime) == 7200)
        #expect(offer.options.string(.tftpServerName) == "http://10.0.0.1/")
        #expect(base.yiaddr == .any)
        #expect(!base.options.contains(.leaseTime))
    }

    @Test("MessageType names", arguments: [
        (MessageType.discover, 1, "DISCOVER"), (.offer, 2, "OFFER"), (.request, 3, "REQUEST"),
        (.decline, 4, "DECLINE"), (.ack, 5, "ACK"), (.nak, 6, "NAK"), (.release, 7, "RELEASE"),
        (.inform, 8, "INFORM"), (MessageType(rawValue: 9), 9, "TYPE9"),
    ])
    func messageTypeNames(_ type: MessageType, _ raw: Int, _ name: String) {
        #expect(type.rawValue == UInt8(raw))
        #expect(type.description == name)
    }

    @Test("messageType reads nil for a missing, empty or 2-byte option 53")
    func messageTypeMalformed() {
        var m = DHCPMessage(op: .bootRequest, xid: 1)
        #expect(m.messageType == nil)
        m.options[.messageType] = []
        #expect(m.messageType == nil)
        m.options[.messageType] = [1, 2]
        #expect(m.messageType == nil)
        m.messageType = .inform
        #expect(m.options[.messageType] == [8])
        m.messageType = nil
        #expect(!m.options.contains(.messageType))
    }
}
