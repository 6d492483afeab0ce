import DHCPv4
import PacketCapture
import Testing

@testable import DHCPObserver

/// What the observer's capture threads hand on: DHCP messages, never garbage.
@Suite struct ObserveDecodeTests {
    static func frame(_ payload: [UInt8], linkType: Int32 = PcapHandle.linkTypeEthernet) -> CapturedFrame {
        let udp = UDPFrame(
            sourceMAC: MACAddress(value: 1), destinationMAC: MACAddress(value: 2), sourceIP: IPv4Address("10.77.0.1")!,
            destinationIP: IPv4Address("10.78.0.1")!, sourcePort: 67, destinationPort: 67, payload: payload)
        return CapturedFrame(timestamp: 1_000.5, bytes: udp.encode(), linkType: linkType)
    }

    @Test func aDHCPFrameBecomesAMessageWithItsSenderAndTime() {
        var ack = DHCPMessage(op: .bootReply, xid: 7)
        ack.clientMAC = MACAddress("0c:38:3e:10:00:01")
        ack.messageType = .ack
        guard case let .message(message, source, time)? = ObserveService.decode(Self.frame(ack.encode()), metrics: ObserveMetrics()) else {
            Issue.record("not decoded")
            return
        }
        #expect(message.xid == 7 && message.messageType == .ack)
        #expect(source == IPv4Address("10.77.0.1") && time == 1_000.5)
    }

    @Test(arguments: [[UInt8](), [1, 2, 3], [UInt8](repeating: 0, count: 300)])
    func malformedPayloadsAreDropped(payload: [UInt8]) {
        #expect(ObserveService.decode(Self.frame(payload), metrics: ObserveMetrics()).map { _ in true } == nil)
    }

    @Test func aTruncatedFrameIsDropped() {
        let frame = CapturedFrame(timestamp: 1, bytes: [0x45, 0, 0], linkType: PcapHandle.linkTypeEthernet)
        #expect(ObserveService.decode(frame, metrics: ObserveMetrics()).map { _ in true } == nil)
    }
}
