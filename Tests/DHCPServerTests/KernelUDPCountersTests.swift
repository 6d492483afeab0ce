@testable import DHCPServer
import Foundation
import Testing

@Suite struct KernelUDPCountersTests {
    @Test func readsTheUdpLinesOfProcNetSnmp() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("snmp-\(UUID().uuidString)").path
        try """
            Ip: Forwarding DefaultTTL
            Ip: 1 64
            Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors
            Udp: 1200 3 45 1100 44 0
            UdpLite: InDatagrams NoPorts
            UdpLite: 0 0
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let counters = KernelUDPCounters.read(path: path)
        #expect(counters["RcvbufErrors"] == 44)
        #expect(counters["InErrors"] == 45)
        #expect(counters["InDatagrams"] == 1200)
        #expect(KernelUDPCounters.read(path: "/nonexistent").isEmpty)
    }
}
