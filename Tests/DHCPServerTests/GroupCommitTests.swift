import DHCPServer
import DHCPv4
import Foundation
import Logging
import Store
import Synchronization
import Testing

/// A real SQLite store that counts transactions, or refuses them.
final class CountingStore: LeaseStore {
    let inner: SQLiteLeaseStore
    let transactions = Mutex(0)
    let refuse: Bool

    init(refuse: Bool = false) throws {
        inner = try SQLiteLeaseStore(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("autoprov-group-\(UUID().uuidString)/leases.sqlite").path, synchronous: .normal)
        self.refuse = refuse
    }

    struct Refused: Error {}

    func allLeases() throws -> [Lease] { try inner.allLeases() }
    func leases(matching filter: LeaseFilter, now: Int64) throws -> [Lease] { try inner.leases(matching: filter, now: now) }
    func commit(leases: [Lease], events: [LeaseEvent]) async throws { try commitBlocking(leases: leases, events: events) }
    func commitBlocking(leases: [Lease], events: [LeaseEvent]) throws {
        if refuse { throw Refused() }
        try inner.commitBlocking(leases: leases, events: events)
        transactions.withLock { $0 += 1 }
    }
    func release(mac: MACAddress, now: Int64) throws -> [IPv4Address] { try inner.release(mac: mac, now: now) }
    func events(after: Int64, limit: Int) throws -> [LeaseEvent] { try inner.events(after: after, limit: limit) }
    func events(after: Int64, limit: Int, origin: LeaseEvent.Origin) throws -> LeaseEventPage {
        try inner.events(after: after, limit: limit, origin: origin)
    }
    func lastEventID() throws -> Int64 { try inner.lastEventID() }
    func housekeeping() throws { try inner.housekeeping() }
}

@Suite struct GroupCommitTests {
    func pending(_ count: Int) -> [PendingCommit] {
        (0..<count).map { i in
            let ip = IPv4Address(UInt32(0xC000_0200) + UInt32(i))
            let mac = MACAddress(value: 0x0c383e_000000 + UInt64(i))
            return PendingCommit(
                leases: [Lease(ip: ip, mac: mac, state: .bound, subnet: "192.0.2.0/22", expires: 10, updated: 1)],
                events: [LeaseEvent(time: 1, kind: .leased, mac: mac, ip: ip)],
                reply: OutboundDatagram(bytes: [UInt8(i & 0xFF)], destination: ReplyDestination(address: ip, port: 68)))
        }
    }

    @Test func aBurstIsCommittedInBatchesAndEveryReplyFollowsItsCommit() throws {
        let store = try CountingStore()
        let group = GroupCommit(store: store, batchSize: 64, logger: Logger(label: "test"))
        var deliveries: [[OutboundDatagram]] = []
        let (sent, withheld) = group.commit(pending(300)) { replies in
            // Each batch is durable before its replies are handed out.
            #expect((try? store.allLeases().count) == deliveries.reduce(0) { $0 + $1.count } + replies.count)
            deliveries.append(replies)
        }
        let replies = deliveries.flatMap { $0 }
        #expect(sent == 300)
        #expect(withheld.isEmpty)
        #expect(deliveries.map(\.count) == [64, 64, 64, 64, 44], "at most one batch of replies at a time")
        #expect(store.transactions.withLock { $0 } == 5, "300 changes in batches of 64 are 5 transactions")
        #expect(try store.allLeases().count == 300)
        #expect(try store.events(after: 0, limit: 1000).count == 300)
        #expect(replies.map(\.destination.address) == pending(300).compactMap(\.reply).map(\.destination.address))
    }

    @Test func aFailedCommitWithholdsItsReplies() throws {
        let store = try CountingStore(refuse: true)
        let group = GroupCommit(store: store, batchSize: 64, logger: Logger(label: "test"))
        var replies: [OutboundDatagram] = []
        let (sent, withheld) = group.commit(pending(100)) { replies += $0 }
        #expect(replies.isEmpty && sent == 0, "no ACK for a lease that is not durable")
        #expect(withheld.count == 100)
    }
}
