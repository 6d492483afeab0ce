import DHCPServer
import DHCPv4
import PacketCapture
import Testing

/// What `PcapTransport` puts on the wire for each link choice, without I/O:
/// the frame is built, decoded back, and its checksums verified here
/// independently (RFC 1071 over the IPv4 header and over the UDP
/// pseudo-header, header and payload).
@Suite struct ReplyFramerTests {
    static let serverMAC = MACAddress("02:00:00:00:00:fe")!
    static let server = IPv4Address("192.0.2.1")!
    static let client = MACAddress("0c:38:3e:07:e1:6c")!
    static let framer = ReplyFramer(sourceMAC: serverMAC, sourceIP: server, serverPort: 67)
    static let payload: [UInt8] = Array(0..<250).map { UInt8($0 & 0xFF) } + [0xAB]  // odd length

    func datagram(_ destination: ReplyDestination) -> OutboundDatagram {
        OutboundDatagram(bytes: Self.payload, destination: destination)
    }

    @Test func unicastToChaddrAtYiaddr() throws {
        let yiaddr = IPv4Address("192.0.2.100")!
        let frame = try #require(Self.framer.frame(
            for: datagram(.init(address: yiaddr, port: 68, link: .hardware(Self.client)))))
        #expect(frame.destinationMAC == Self.client)
        #expect(frame.destinationIP == yiaddr)
        #expect(frame.sourceMAC == Self.serverMAC)
        #expect(frame.sourceIP == Self.server)
        #expect(frame.sourcePort == 67)
        #expect(frame.destinationPort == 68)
        try expectValidOnTheWire(frame)
    }

    @Test func broadcast() throws {
        let frame = try #require(Self.framer.frame(
            for: datagram(.init(address: .broadcast, port: 68, link: .broadcast))))
        #expect(frame.destinationMAC == MACAddress("ff:ff:ff:ff:ff:ff")!)
        #expect(frame.destinationIP == .broadcast)
        #expect(frame.sourceIP == Self.server)
        try expectValidOnTheWire(frame)
    }

    @Test(arguments: [
        ReplyDestination(address: IPv4Address("198.51.100.1")!, port: 67, link: .resolved),  // relay
        ReplyDestination(address: IPv4Address("192.0.2.77")!, port: 68, link: .resolved),  // ciaddr
    ])
    func addressesThatAnswerARPGoThroughTheKernel(_ destination: ReplyDestination) {
        #expect(Self.framer.frame(for: datagram(destination)) == nil)
    }

    @Test func aConfiguredPortIsTheSourcePort() throws {
        let framer = ReplyFramer(sourceMAC: Self.serverMAC, sourceIP: Self.server, serverPort: 1067)
        let frame = try #require(framer.frame(for: datagram(.init(address: .broadcast, port: 1068, link: .broadcast))))
        #expect(frame.sourcePort == 1067)
        #expect(frame.destinationPort == 1068)
    }

    @Test func theFilterTakesRequestsToUsOrABroadcast() {
        #expect(PcapTransport.filter(
            port: 67, address: Self.server, subnetBroadcast: IPv4Address("192.0.2.255")!)
            == "udp dst port 67 and (dst host 255.255.255.255 or dst host 192.0.2.255 or dst host 192.0.2.1)")
    }

    /// Encodes, decodes back, and checks lengths and both checksums.
    private func expectValidOnTheWire(_ frame: UDPFrame) throws {
        let bytes = frame.encode(identification: 0x1234)
        #expect(try UDPFrame.decode(bytes) == frame)
        #expect(Array(bytes[12..<14]) == [0x08, 0x00])
        let ip = Array(bytes[14..<34])
        #expect(ip[0] == 0x45)
        #expect(Int(ip[2]) << 8 | Int(ip[3]) == 20 + 8 + Self.payload.count)
        #expect(ip[9] == 17)
        #expect(Self.sum(ip) == 0xFFFF, "IPv4 header checksum")
        let udp = Array(bytes[34...])
        #expect(Int(udp[4]) << 8 | Int(udp[5]) == udp.count)
        #expect(udp[6] != 0 || udp[7] != 0, "UDP checksum present")
        let pseudo = Array(ip[12..<20]) + [0, 17, UInt8(udp.count >> 8), UInt8(udp.count & 0xFF)]
        #expect(Self.sum(pseudo + udp) == 0xFFFF, "UDP checksum")
    }

    /// The ones' complement sum of 16-bit words (odd length padded).
    private static func sum(_ bytes: [UInt8]) -> UInt16 {
        var total: UInt32 = 0
        var i = 0
        while i < bytes.count {
            total += UInt32(bytes[i]) << 8 | (i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0)
            i += 2
        }
        while total >> 16 != 0 { total = (total & 0xFFFF) + (total >> 16) }
        return UInt16(total)
    }
}
