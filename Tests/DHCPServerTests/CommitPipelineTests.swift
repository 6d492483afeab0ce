@testable import DHCPServer
import DHCPv4
import Foundation
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
            sent, withheld in counts.withLock { $0.sent += sent; $0.withheld += withheld.count }
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

    @Test func aStalledCommitRefusesNewBurstsOnceTheOldestHasWaitedTooLong() async throws {
        let store = try SlowStore(delay: .zero)
        store.open.withLock { $0 = false }
        let pipeline = CommitPipeline(
            groupCommit: GroupCommit(store: store, batchSize: 10, logger: Logger(label: "t")), maxWait: .milliseconds(100)
        ) { _, _ in }
        let transport = RecordingTransport()
        #expect(pipeline.submit(changes(0..<10), via: transport))  // taken by the worker; its commit stalls until opened
        // Wait (deadline 5 s) until the worker is inside that commit, so the
        // next burst is the only one queued.
        let deadline = ContinuousClock.now + .seconds(60)
        while store.started.withLock({ $0 }) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        #expect(store.started.withLock { $0 } == 1)
        #expect(pipeline.submit(changes(10..<20), via: transport), "a young queue takes more")
        try await Task.sleep(for: .milliseconds(150))
        #expect(!pipeline.submit(changes(20..<30), via: transport), "the oldest waited over 100 ms: refused")
        store.open.withLock { $0 = true }
        await pipeline.shutdown()
        #expect(transport.sent.withLock { $0.flatMap { $0 } }.count == 20)
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

/// A real store whose commits take `delay` (a slow disk).
final class SlowStore: LeaseStore {
    let inner: CountingStore
    let delay: Duration
    /// Commits begun, so a test can wait for the worker to be inside one.
    let started = Mutex(0)
    /// While false, every commit waits (after `delay`) until the test opens it.
    let open = Mutex(true)
    init(delay: Duration) throws {
        inner = try CountingStore()
        self.delay = delay
    }
    func allLeases() throws -> [Lease] { try inner.allLeases() }
    func leases(matching filter: LeaseFilter, now: Int64) throws -> [Lease] { try inner.leases(matching: filter, now: now) }
    func commit(leases: [Lease], events: [LeaseEvent]) async throws { try commitBlocking(leases: leases, events: events) }
    func commitBlocking(leases: [Lease], events: [LeaseEvent]) throws {
        started.withLock { $0 += 1 }
        Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds))
        while !open.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.001) }
        try inner.commitBlocking(leases: leases, events: events)
    }
    func release(mac: MACAddress, now: Int64) throws -> [IPv4Address] { try inner.release(mac: mac, now: now) }
    func events(after: Int64, limit: Int) throws -> [LeaseEvent] { try inner.events(after: after, limit: limit) }
    func events(after: Int64, limit: Int, origin: LeaseEvent.Origin) throws -> LeaseEventPage {
        try inner.events(after: after, limit: limit, origin: origin)
    }
    func lastEventID() throws -> Int64 { try inner.lastEventID() }
    func housekeeping() throws { try inner.housekeeping() }
}
