import DHCPv4
import Foundation
import Logging
import Store
import Testing

/// `store.retention`: both event tables stay bounded by age and by rows
/// per device, the newest rows survive, and the background service applies
/// the policy by itself.
@Suite struct RetentionTests {
    let a = MACAddress("0c:38:3e:00:00:0a")!
    let b = MACAddress("0c:38:3e:00:00:0b")!

    func fetch(_ mac: MACAddress, at time: Double, reason: String? = "not-leased-ip") -> DeviceEvent {
        DeviceEvent(time: time, kind: .configFetch, mac: mac, ip: "192.0.2.9", file: "x.cfg", status: 403, reason: reason)
    }

    /// The device's own events (the listing also merges its lease events, which have no id).
    func own(_ inventory: SQLiteInventoryStore, _ mac: MACAddress) throws -> [DeviceEvent] {
        try inventory.events(for: mac, limit: 100_000).filter { $0.id != nil }
    }

    func lease(_ mac: MACAddress, at time: Double) -> LeaseEvent {
        LeaseEvent(time: time, kind: .leased, mac: mac, ip: IPv4Address("192.0.2.10")!, className: nil)
    }

    @Test func eventsOlderThanTheMaximumAgeGoAndYoungerOnesStay() throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let inventory = SQLiteInventoryStore(database: database)
        let leases = SQLiteLeaseStore(database: database)
        try inventory.record(events: (0..<30).map { fetch(a, at: Double($0) * 100) }, contacts: [])
        try leases.commitBlocking(leases: [], events: (0..<30).map { lease(b, at: Double($0) * 100) })
        // now 3,000 s, max age 1,000 s: times 0...1,900 go (20 of each).
        let policy = RetentionPolicy(maxAge: 1_000, eventsPerDevice: 0, batch: 7)
        let count = try database.prune(policy, now: 3_000)
        #expect(count == PruneCount(deviceEvents: 20, leaseEvents: 20))
        let kept = try own(inventory, a)
        #expect(kept.count == 10 && kept.allSatisfy { $0.time >= 2_000 })
        #expect(try leases.events(after: 0, limit: 100).map(\.time) == (20..<30).map { Double($0) * 100 })
        #expect(try database.prune(policy, now: 3_000) == PruneCount(), "a second pass finds nothing")
    }

    @Test func eachDeviceKeepsItsNewestRowsAndRecentOnesAreProtected() throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let inventory = SQLiteInventoryStore(database: database)
        let leases = SQLiteLeaseStore(database: database)
        // a: 2,500 refusals (times 0...2,499); b: 5 events.
        try inventory.record(events: (0..<2_500).map { fetch(a, at: Double($0)) }, contacts: [])
        try inventory.record(events: (0..<5).map { fetch(b, at: Double($0)) }, contacts: [])
        try leases.commitBlocking(leases: [], events: (0..<300).map { lease(a, at: Double($0)) })
        // Keep 100 per device; events of the last 600 s (time >= 1,900) are protected.
        let policy = RetentionPolicy(maxAge: 0, eventsPerDevice: 100, protectedAge: 600, batch: 333)
        let count = try database.prune(policy, now: 2_500)
        #expect(count.deviceEvents == 1_900, "a keeps its 600 protected rows (more than 100), all older ones go")
        #expect(count.leaseEvents == 200)
        #expect(try own(inventory, a).count == 600)
        #expect(try own(inventory, b).count == 5)
        // Later, when they are no longer protected: exactly the newest 100.
        #expect(try database.prune(policy, now: 10_000).deviceEvents == 500)
        let newest = try own(inventory, a)
        #expect(newest.count == 100 && Set(newest.map(\.time)) == Set((2_400..<2_500).map(Double.init)))
        #expect(try leases.events(after: 0, limit: 1_000).map(\.time) == (200..<300).map(Double.init))
    }

    @Test func zeroKeepsEverything() throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let inventory = SQLiteInventoryStore(database: database)
        try inventory.record(events: (0..<50).map { fetch(a, at: Double($0)) }, contacts: [])
        #expect(try database.prune(RetentionPolicy(maxAge: 0, eventsPerDevice: 0), now: 1e9) == PruneCount())
        #expect(try own(inventory, a).count == 50)
    }

    @Test func theServicePrunesByItselfAtItsInterval() async throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let inventory = SQLiteInventoryStore(database: database)
        try inventory.record(events: (0..<40).map { fetch(a, at: Double($0)) }, contacts: [])
        let service = RetentionService(
            store: database, policy: RetentionPolicy(maxAge: 0, eventsPerDevice: 10, interval: .milliseconds(20), protectedAge: 0),
            logger: Logger(label: "test"), now: { 1_000 })
        let task = Task { try await service.run() }
        defer { task.cancel() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while try own(inventory, a).count > 10, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try own(inventory, a).count == 10)
    }
}
