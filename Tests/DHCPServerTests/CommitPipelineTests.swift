@testable import DHCPServer
import DHCPv4
import Logging
import Store
import Synchronization
import Testing

/// Records what would have gone on the wire.
final class RecordingTransport: DHCPTransport {
    let binding = InterfaceBinding(name: "rec0", address: IPv4Address(192, 0, 2, 1), subnetIndex: 0)
    let sent = Mutex<[[OutboundDatagram]]>([])
    func send(_ batch: [OutboundDatagram]) { sent.withLock { $0.append(batch) } }
    func close() async {}
}

@Suite struct CommitPipelineTests {
    func changes(_ range: Range<Int>) -> [PendingCommit] {
        range.map { i in
            let ip = IPv4Address(UInt32(0xC000_0200) + UInt32(i))
            let mac = MACAddress(value: 0x0c383e_000000 + UInt64(i))
            return PendingCommit(
                leases: [Lease(ip: ip, mac: mac, state: .bound, subnet: "192.0.2.0/22", expires: 10, updated: 1)],
                events: [], reply: OutboundDatagram(bytes: [1], destination: ReplyDestination(address: ip, port: 68)))
        }
    }

    @Test func everyBurstIsCommittedThenAnsweredAndShutdownDrainsTheQueue() async throws {
        let store = try CountingStore()
        let transport = RecordingTransport()
        let counts = Mutex((sent: 0, withheld: 0))
        let pipeline = CommitPipeline(groupCommit: GroupCommit(store: store, batchSize: 50, logger: Logger(label: "t"))) {
            sent, withheld in counts.withLock { $0.sent += sent; $0.withheld += withheld }
        }
        for burst in 0..<20 { #expect(pipeline.submit(changes(burst * 25..<(burst + 1) * 25), via: transport)) }
        await pipeline.shutdown()
        #expect(try store.allLeases().count == 500)
        #expect(counts.withLock { $0.sent } == 500)
        let batches = transport.sent.withLock { $0 }
        #expect(batches.reduce(0) { $0 + $1.count } == 500)
        #expect(batches.allSatisfy { $0.count <= 50 }, "a relay never gets more than one commit batch at once")
        #expect(store.transactions.withLock { $0 } <= 20, "bursts that wait together share commits")
    }

    @Test func aFullQueueRefusesTheBurstInsteadOfGrowing() async throws {
        let store = try CountingStore(refuse: true)
        let pipeline = CommitPipeline(
            groupCommit: GroupCommit(store: store, batchSize: 10, logger: Logger(label: "t")), limit: 30
        ) { _, _ in }
        let transport = RecordingTransport()
        var accepted = 0
        for burst in 0..<200 where pipeline.submit(changes(burst * 10..<(burst + 1) * 10), via: transport) { accepted += 1 }
        await pipeline.shutdown()
        #expect(accepted < 200, "the queue is bounded")
        #expect(transport.sent.withLock { $0.flatMap { $0 } }.isEmpty, "refused commits send nothing")
    }
}
