import DHCPv4
import Testing
@testable import PacketCapture

@Suite("UDPFrame: Ethernet/IPv4/UDP encoding and decoding")
struct UDPFrameTests {
    static let frame = UDPFrame(
        sourceMAC: MACAddress("02:00:00:00:00:01")!, destinationMAC: MACAddress("0c:38:3e:07:e1:6c")!,
        sourceIP: IPv4Address(10, 9, 0, 1), destinationIP: IPv4Address(10, 9, 0, 50),
        sourcePort: 67, destinationPort: 68, payload: Array("hello".utf8))

    @Test("Encoded header bytes, lengths and both checksums")
    func encode() {
        let b = Self.frame.encode(identification: 0x1234)
        #expect(b.count == 14 + 20 + 8 + 5)
        #expect(Array(b[0..<6]) == [0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c])
        #expect(Array(b[12..<14]) == [0x08, 0x00])
        #expect(b[14] == 0x45)
        #expect(Array(b[16..<18]) == [0, 33])  // total length
        #expect(Array(b[18..<20]) == [0x12, 0x34])
        #expect(b[23] == 17)
        // A header with its checksum in place sums to 0 (RFC 1071).
        #expect(UDPFrame.checksum(b[14..<34]) == 0)
        #expect(UDPFrame.udpChecksum(b[34...], source: Self.frame.sourceIP, destination: Self.frame.destinationIP) == 0)
        #expect(Array(b[34..<40]) == [0, 67, 0, 68, 0, 13])
    }

    @Test("Known checksum: the classic RFC 1071 example header")
    func knownChecksum() {
        let header: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
            0xc0, 0xa8, 0x00, 0xc7,
        ]
        #expect(UDPFrame.checksum(header) == 0xb861)
    }

    @Test("Decode reads back what encode wrote")
    func roundTrip() throws {
        let decoded = try UDPFrame.decode(Self.frame.encode())
        #expect(decoded == Self.frame)
    }

    @Test("An 802.1Q tag is skipped and its VLAN id kept")
    func vlan() throws {
        var b = Self.frame.encode()
        b.insert(contentsOf: [0x81, 0x00, 0x00, 0x2a], at: 12)
        let decoded = try UDPFrame.decode(b)
        #expect(decoded.vlan == 42)
        #expect(decoded.payload == Self.frame.payload)
    }

    @Test("IPv4 options are skipped")
    func ipOptions() throws {
        var b = Self.frame.encode()
        b[14] = 0x46
        b.insert(contentsOf: [1, 1, 1, 0], at: 34)  // NOP NOP NOP EOL
        b[17] += 4
        let decoded = try UDPFrame.decode(b)
        #expect(decoded.payload == Self.frame.payload)
        #expect(decoded.sourcePort == 67)
    }

    @Test("What is not a whole first-fragment UDP/IPv4 datagram is refused with its reason")
    func refusals() {
        let good = Self.frame.encode()
        #expect(throws: UDPFrame.DecodeError.truncated) { try UDPFrame.decode(good.prefix(13)) }
        #expect(throws: UDPFrame.DecodeError.truncated) { try UDPFrame.decode(good.prefix(40)) }
        var arp = good
        arp[12] = 0x08; arp[13] = 0x06
        #expect(throws: UDPFrame.DecodeError.notIPv4(etherType: 0x0806)) { try UDPFrame.decode(arp) }
        var tcp = good
        tcp[23] = 6
        #expect(throws: UDPFrame.DecodeError.notUDP(protocol: 6)) { try UDPFrame.decode(tcp) }
        var fragment = good
        fragment[20] = 0x20  // more fragments
        #expect(throws: UDPFrame.DecodeError.fragment) { try UDPFrame.decode(fragment) }
        var v6 = good
        v6[14] = 0x65
        #expect(throws: UDPFrame.DecodeError.badIPv4Header) { try UDPFrame.decode(v6) }
        var udpTooLong = good
        udpTooLong[39] = 200
        #expect(throws: UDPFrame.DecodeError.badUDPLength) { try UDPFrame.decode(udpTooLong) }
    }

    @Test("Linux cooked captures are read from their own header")
    func cooked() throws {
        let ethernet = Self.frame.encode()
        var sll: [UInt8] = [0, 0, 0, 1, 0, 6] + Self.frame.sourceMAC.bytes + [0, 0, 0x08, 0x00]
        sll += ethernet[14...]
        let decoded = try UDPFrame.decode(CapturedFrame(timestamp: 0, bytes: sll, linkType: PcapHandle.linkTypeLinuxCooked))
        #expect(decoded.sourceMAC == Self.frame.sourceMAC)
        #expect(decoded.payload == Self.frame.payload)
    }
}
