import DHCPv4
import Foundation
import Store
import Testing

@Suite struct ChangeSignalTests {
    @Test func aWaitReturnsOnNotifyLongBeforeItsTimeout() async {
        let signal = ChangeSignal()
        let seen = signal.generation
        let clock = ContinuousClock()
        let started = clock.now
        async let woke = signal.wait(after: seen, timeout: .seconds(300))
        // The waiter may not be parked yet: notifying before it is must wake it too.
        signal.notify()
        #expect(await woke == seen + 1)
        #expect(clock.now - started < .seconds(120), "woken, long before the 300 s timeout")
    }

    @Test func aChangeBeforeTheWaitIsNotMissed() async {
        let signal = ChangeSignal()
        let seen = signal.generation
        signal.notify()
        signal.notify()
        let clock = ContinuousClock()
        let started = clock.now
        #expect(await signal.wait(after: seen, timeout: .seconds(300)) == seen + 2)
        #expect(clock.now - started < .seconds(120), "woken, long before the 300 s timeout")
    }

    @Test func withoutAChangeTheWaitEndsAtItsTimeout() async {
        let signal = ChangeSignal()
        let clock = ContinuousClock()
        let started = clock.now
        #expect(await signal.wait(after: signal.generation, timeout: .milliseconds(200)) == 0)
        #expect(clock.now - started >= .milliseconds(200))
    }

    @Test func cancellingTheWaitingTaskEndsTheWait() async {
        let signal = ChangeSignal()
        let waiter = Task { await signal.wait(after: 0, timeout: .seconds(60)) }
        waiter.cancel()
        let clock = ContinuousClock()
        let started = clock.now
        #expect(await waiter.value == 0)
        #expect(clock.now - started < .seconds(30))
    }

    @Test func aCommitThatChangesRowsNotifiesAndAReadOrAnEmptyCommitDoesNot() async throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let leases = SQLiteLeaseStore(database: database)
        let jobs = SQLiteProvisionJobStore(database: database)
        let start = database.changes.generation
        _ = try leases.allLeases()
        _ = try leases.lastEventID()
        // Nothing to ingest: no write at all, so no wake-up for the worker itself.
        #expect(try jobs.ingestTriggers(limit: 10, now: 0, { _, _ in nil }) == 0)
        try await leases.commit(leases: [], events: [])
        #expect(database.changes.generation == start)

        let mac = MACAddress("0c:38:3e:07:e1:6c")!
        try await leases.commit(
            leases: [Lease(ip: IPv4Address("192.0.2.100")!, mac: mac, state: .bound, subnet: "192.0.2.0/24", expires: 2_000, updated: 1_000)],
            events: [LeaseEvent(time: 1_000, kind: .leased, mac: mac, ip: IPv4Address("192.0.2.100")!)])
        #expect(database.changes.generation == start + 1)

        let inventory = SQLiteInventoryStore(database: database)
        try inventory.insert(DeviceGroup(name: "lab"), now: 1)
        #expect(database.changes.generation == start + 2)
    }
}
