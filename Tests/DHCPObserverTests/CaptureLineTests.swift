import DHCPObserver
import DHCPv4
import PacketCapture
import Testing

/// `autoprov capture`'s line format.
@Suite struct CaptureLineTests {
    static let phone = MACAddress("0c:38:3e:10:00:01")!
    // 1_764_298_800 = 2025-11-28 03:00:00 UTC; .1234 s.
    static let time = 1_764_298_800.1234

    static func frame(_ message: DHCPMessage, from: String, to: String, sport: UInt16 = 67, dport: UInt16 = 67) -> CapturedFrame {
        let udp = UDPFrame(
            sourceMAC: MACAddress("02:00:00:00:00:01")!, destinationMAC: MACAddress("02:00:00:00:00:02")!,
            sourceIP: IPv4Address(from)!, destinationIP: IPv4Address(to)!, sourcePort: sport, destinationPort: dport,
            payload: message.encode())
        return CapturedFrame(timestamp: time, bytes: udp.encode(), linkType: PcapHandle.linkTypeEthernet)
    }

    @Test func aRelayedDiscoverShowsWhoAskedAndWhatFor() {
        var m = DHCPMessage(op: .bootRequest, xid: 0x0A0B0C0D)
        m.clientMAC = Self.phone
        m.messageType = .discover
        m.giaddr = IPv4Address("10.78.0.1")!
        m.options[.parameterRequestList] = [1, 3, 6, 66]
        m.options.set(.vendorClassIdentifier, string: "Fanvil X4")
        m.options.set(.requestedIPAddress, ipv4: IPv4Address("10.78.0.57")!)
        let line = CaptureLine.describe(Self.frame(m, from: "10.78.0.1", to: "10.77.0.1")) { mac, vendor in
            mac == Self.phone && vendor == "Fanvil X4" ? "fanvil" : nil
        }
        #expect(line == """
            03:00:00.123 DISCOVER 0c:38:3e:10:00:01 class=fanvil xid=0x0a0b0c0d 10.78.0.1:67 > 10.77.0.1:67 \
            giaddr=10.78.0.1 requested=10.78.0.57 prl=1,3,6,66 vendor="Fanvil X4"
            """)
    }

    @Test func anACKShowsTheServerTheAddressAndTheProvisioningOptions() {
        var m = DHCPMessage(op: .bootReply, xid: 1)
        m.clientMAC = Self.phone
        m.messageType = .ack
        m.yiaddr = IPv4Address("10.78.0.57")!
        m.options.set(.serverIdentifier, ipv4: IPv4Address("10.77.0.1")!)
        m.options.set(.tftpServerName, string: "http://10.77.0.2:8080/$mac.cfg")
        m.options[.vendorSpecific] = [0x01, 0x02, 0xFF]
        m.options.set(.bootfileName, string: "a \"b\"\\")
        m.options.set(.leaseTime, uint32: 600)
        #expect(CaptureLine.describe(Self.frame(m, from: "10.77.0.1", to: "10.78.0.1")) == """
            03:00:00.123 ACK 0c:38:3e:10:00:01 xid=0x00000001 10.77.0.1:67 > 10.78.0.1:67 yiaddr=10.78.0.57 \
            server=10.77.0.1 opt66="http://10.77.0.2:8080/$mac.cfg" opt43=0102ff opt67="a \\"b\\"\\\\" lease=600
            """)
    }

    @Test func textOption43IsQuotedAndAnInfiniteLeaseNamed() {
        var m = DHCPMessage(op: .bootReply, xid: 2)
        m.clientMAC = Self.phone
        m.messageType = .offer
        m.options.set(.vendorSpecific, string: "http://x/")
        m.options.set(.leaseTime, uint32: .max)
        m.options.set(.hostName, string: "desk\u{1}")
        let line = CaptureLine.line(m, time: 0, ends: "a > b")
        #expect(line == "00:00:00.000 OFFER 0c:38:3e:10:00:01 xid=0x00000002 a > b hostname=\"desk\\x01\" opt43=\"http://x/\" lease=infinite")
    }

    @Test func whatDoesNotDecodeSaysSo() {
        let short = CapturedFrame(timestamp: Self.time, bytes: [0, 1, 2], linkType: PcapHandle.linkTypeEthernet)
        #expect(CaptureLine.describe(short) == "03:00:00.123 NOT-DHCP truncated")
        let udp = UDPFrame(
            sourceMAC: MACAddress(value: 1), destinationMAC: MACAddress(value: 2), sourceIP: IPv4Address("10.0.0.1")!,
            destinationIP: IPv4Address("10.0.0.2")!, sourcePort: 68, destinationPort: 67, payload: [1, 2, 3])
        let line = CaptureLine.describe(CapturedFrame(timestamp: Self.time, bytes: udp.encode(), linkType: PcapHandle.linkTypeEthernet))
        #expect(line.hasPrefix("03:00:00.123 MALFORMED 10.0.0.1:68 > 10.0.0.2:67 "))
    }

    @Test func aBOOTPMessageWithoutOption53IsNamedByItsOp() {
        var m = DHCPMessage(op: .bootRequest, xid: 3)
        m.clientMAC = Self.phone
        #expect(CaptureLine.line(m, time: 59.9999, ends: "a > b") == "00:00:59.999 BOOTREQUEST 0c:38:3e:10:00:01 xid=0x00000003 a > b")
    }
}
