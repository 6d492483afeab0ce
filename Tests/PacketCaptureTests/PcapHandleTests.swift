import DHCPv4
import Foundation
import Testing
@testable import PacketCapture

/// Against the real libpcap on loopback (the tests run as root, as CI does).
@Suite("PcapHandle on loopback")
struct PcapHandleTests {
    @Test("A datagram sent to 127.0.0.1 is captured through the filter and decoded")
    func capturesLoopback() throws {
        let port: UInt16 = 54_999
        let handle = try PcapHandle(interface: "lo", filter: "udp dst port \(port)")
        #expect(handle.linkType == PcapHandle.linkTypeEthernet)
        try sendUDP(Array("not this one".utf8), port: port + 1)
        try sendUDP(Array("ping".utf8), port: port)
        let deadline = Date().addingTimeInterval(5)
        var seen: UDPFrame?
        while seen == nil, Date() < deadline {
            if let captured = try handle.next() { seen = try UDPFrame.decode(captured) }
        }
        let frame = try #require(seen)
        #expect(frame.payload == Array("ping".utf8))
        #expect(frame.destinationPort == port)
        #expect(frame.destinationIP == IPv4Address(127, 0, 0, 1))
    }

    @Test("Cancelling a reader on a silent interface stops it at once, not at the next frame")
    func readerStopsWhenCancelledWithoutTraffic() async throws {
        // Nothing ever matches: on Linux (TPACKET_V3) the read would block
        // until a frame arrives, whatever the read timeout.
        let handle = try PcapHandle(interface: "lo", filter: "udp dst port 9 and udp src port 9 and len = 1")
        let reader = Task { try await PcapReader.run(handle) { _ in } }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        reader.cancel()
        try await reader.value
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("A bad interface and a bad filter are clear errors")
    func errors() {
        #expect(throws: PcapError.self) { try PcapHandle(interface: "nosuchif0", filter: "udp") }
        do {
            _ = try PcapHandle(interface: "lo", filter: "udp dst port banana")
            Issue.record("a bad filter was accepted")
        } catch {
            #expect(error.description.contains("banana"))
        }
    }

    private func sendUDP(_ bytes: [UInt8], port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(sent == bytes.count)
    }
}
