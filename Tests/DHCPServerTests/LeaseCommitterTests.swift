import DHCPServer
import DHCPv4
import Foundation
import Logging
import Store
import Synchronization
import Testing

@Suite struct LeaseCommitterTests {
    /// Every completion runs after its lease is readable from the store, and
    /// a burst of submissions shares commits.
    @Test func completionsRunOnlyAfterTheirLeaseIsCommitted() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("autoprov-committer-\(UUID().uuidString)/leases.sqlite").path
        let store = try SQLiteLeaseStore(path: path)
        let committer = LeaseCommitter(store: store, batchSize: 64, logger: Logger(label: "test"))
        let seenCommitted = Mutex<[Bool]>([])
        let count = 300
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await committer.run() }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let remaining = Mutex(count)
                for i in 0..<count {
                    let ip = IPv4Address(UInt32(0xC000_0200) + UInt32(i))
                    let lease = Lease(ip: ip, mac: MACAddress(value: 0x0c383e_000000 + UInt64(i)), state: .bound,
                                      subnet: "192.0.2.0/22", expires: 10, updated: 1)
                    let accepted = committer.submit(leases: [lease], events: []) { ok in
                        let visible = (try? store.leases(matching: LeaseFilter(ip: ip), now: 0).count) == 1
                        seenCommitted.withLock { $0.append(ok && visible) }
                        if remaining.withLock({ $0 -= 1; return $0 }) == 0 { done.resume() }
                    }
                    #expect(accepted)
                }
            }
            committer.finish()
            try await group.waitForAll()
        }
        let results = seenCommitted.withLock { $0 }
        #expect(results.count == count)
        #expect(results.allSatisfy { $0 })
        #expect(try store.allLeases().count == count)
    }

    @Test func aFullQueueRefusesInsteadOfGrowing() {
        let store = try! SQLiteLeaseStore(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("autoprov-committer-\(UUID().uuidString)/leases.sqlite").path)
        let committer = LeaseCommitter(store: store, batchSize: 8, limit: 5, logger: Logger(label: "test"))
        let lease = Lease(ip: IPv4Address(1), mac: MACAddress(value: 1), state: .bound, subnet: "x", expires: 1, updated: 1)
        let accepted = (0..<8).map { _ in committer.submit(leases: [lease], events: []) { _ in } }
        #expect(accepted.filter { $0 }.count == 5)
    }
}
