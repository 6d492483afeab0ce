import DHCPv4
import Foundation
import Store
import Testing

@Suite struct SQLiteProvisionJobStoreTests {
    let mac = MACAddress("0c:38:3e:00:00:01")!
    let stranger = MACAddress("02:00:00:00:00:99")!

    struct Stores {
        var path: String
        var database: SQLiteDatabase
        var leases: SQLiteLeaseStore
        var inventory: SQLiteInventoryStore
        var jobs: SQLiteProvisionJobStore
    }

    func stores(path: String = temporaryStorePath()) throws -> Stores {
        let database = try SQLiteDatabase(path: path)
        return Stores(path: path, database: database, leases: SQLiteLeaseStore(database: database),
                      inventory: SQLiteInventoryStore(database: database), jobs: SQLiteProvisionJobStore(database: database))
    }

    /// A plan that turns every lease and every fetch into a reset, and records what it saw.
    static func plan(_ event: ProvisionTriggerEvent, _ current: ProvisionJob?) -> ProvisionJobReset? {
        switch event {
        case .lease(let e) where e.kind == .leased:
            return ProvisionJobReset(state: .leased, trigger: "leased", ip: e.ip.description, due: 100, deadline: 400)
        case .device(let e) where e.kind == .configFetch:
            return ProvisionJobReset(state: .configFetched, trigger: "config-fetch", ip: e.ip, due: 50, deadline: 350)
        default:
            return nil
        }
    }

    @Test func triggersOfInventoryDevicesBecomeJobsExactlyOnce() throws {
        let s = try stores()
        try s.inventory.insert(Device(mac: mac), now: 1)
        let ip = IPv4Address("127.64.1.5")!
        try s.leases.commitBlocking(leases: [], events: [
            LeaseEvent(time: 2, kind: .leased, mac: mac, ip: ip),
            LeaseEvent(time: 2, kind: .leased, mac: stranger, ip: IPv4Address("127.64.1.6")!),
            LeaseEvent(time: 3, kind: .renewed, mac: mac, ip: ip),
        ])
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan) == 3, "three events read (one of a MAC not in the inventory)")
        let job = try #require(try s.jobs.job(mac))
        #expect(job.state == .leased && job.ip == "127.64.1.5" && job.due == 100 && job.generation == 1)
        #expect(try s.jobs.job(stranger) == nil, "a MAC not in the inventory gets no job")
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 11, Self.plan) == 0, "events are read once")

        // A fetch resets the job: new state, generation bumped, the address kept when the event has none.
        try s.inventory.record(events: [DeviceEvent(time: 4, kind: .configFetch, mac: mac, file: "0c383e000001.cfg", status: 200)], contacts: [])
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 12, Self.plan) == 1)
        let reset = try #require(try s.jobs.job(mac))
        #expect(reset.state == .configFetched && reset.generation == 2 && reset.ip == "127.64.1.5" && reset.due == 50)
    }

    @Test func theCursorSurvivesReopeningAndStartsAfterOldEvents() throws {
        let path = temporaryStorePath()
        do {
            let s = try stores(path: path)
            try s.inventory.insert(Device(mac: mac), now: 1)
            try s.leases.commitBlocking(leases: [], events: [LeaseEvent(time: 2, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)])
            #expect(try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan) == 1)
        }
        let reopened = try stores(path: path)
        #expect(try reopened.jobs.ingestTriggers(limit: 100, now: 20, Self.plan) == 0)
        #expect(try reopened.jobs.job(mac)?.generation == 1)
    }

    /// The lease cursor as written in the store.
    func writtenCursor(_ s: Stores) throws -> Int64? {
        try s.database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT last_id FROM provision_cursor WHERE source = 'lease'") }
    }

    func strangerLeases(_ s: Stores, _ count: Int, time: Double) throws {
        try s.leases.commitBlocking(leases: [], events: (0 ..< count).map { i in
            LeaseEvent(time: time, kind: .leased, mac: MACAddress("02:00:00:00:01:\(String(format: "%02x", i))")!,
                       ip: IPv4Address("127.64.2.\(i + 1)")!)
        })
    }

    @Test func windowsWithNoInventoryDeviceAreSkippedWithoutAWriteUntilTheyAreDue() throws {
        let s = try stores()
        try s.inventory.insert(Device(mac: mac), now: 1)
        try strangerLeases(s, 3, time: 2)
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan) == 3)
        let first = try #require(try writtenCursor(s), "the first skipped window is written at once")

        try strangerLeases(s, 4, time: 3)
        let generation = s.database.changes.generation
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 11, Self.plan) == 4)
        #expect(s.database.changes.generation == generation, "nothing was written (no commit changed a row)")
        #expect(try writtenCursor(s) == first, "the cursor's new end is kept in memory")
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 12, Self.plan) == 0, "and the window is not read again")
        // Another process (or this one after a crash) reads the skipped window again: nothing in it was acted on.
        #expect(try stores(path: s.path).jobs.ingestTriggers(limit: 100, now: 12, Self.plan) == 4)

        // Once `persistSkippedEvery` (5) has passed, an idle wake-up writes the end.
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 15.5, Self.plan) == 0)
        #expect(try writtenCursor(s) == first + 4)
        #expect(try stores(path: s.path).jobs.ingestTriggers(limit: 100, now: 16, Self.plan) == 0)
    }

    @Test func anInventoryEventAfterSkippedWindowsIsActedOnOnceAndCarriesTheirEnd() throws {
        let s = try stores()
        try s.inventory.insert(Device(mac: mac), now: 1)
        try strangerLeases(s, 2, time: 2)
        _ = try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan)
        try strangerLeases(s, 2, time: 3)
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 11, Self.plan) == 2)
        try s.leases.commitBlocking(leases: [], events: [LeaseEvent(time: 4, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)])
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 12, Self.plan) == 1, "only the new event is read")
        #expect(try s.jobs.job(mac)?.generation == 1)
        #expect(try writtenCursor(s) == 5, "the write covers the skipped window too")
        #expect(try stores(path: s.path).jobs.ingestTriggers(limit: 100, now: 13, Self.plan) == 0)
        #expect(try s.jobs.ingestTriggers(limit: 100, now: 13, Self.plan) == 0)
        #expect(try s.jobs.job(mac)?.generation == 1, "acted on once")
    }

    @Test func anUpdateFromAStaleGenerationIsNotWritten() throws {
        let s = try stores()
        try s.inventory.insert(Device(mac: mac), now: 1)
        try s.leases.commitBlocking(leases: [], events: [LeaseEvent(time: 2, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)])
        _ = try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan)
        let running = try #require(try s.jobs.job(mac))
        // A new trigger arrives while the attempt runs.
        try s.inventory.record(events: [DeviceEvent(time: 4, kind: .configFetch, mac: mac, file: "0c383e000001.cfg", status: 200)], contacts: [])
        _ = try s.jobs.ingestTriggers(limit: 100, now: 11, Self.plan)
        let event = DeviceEvent(time: 12, kind: .init(rawValue: "provision-failed"), mac: mac, reason: "x")
        let stale = ProvisionJobUpdate(state: .failed, reason: "x", due: nil, attempts: 1, event: event)
        #expect(try s.jobs.update(running, stale, now: 12) == false)
        #expect(try s.jobs.job(mac)?.state == .configFetched)
        #expect(try s.inventory.events(for: mac, limit: 10).allSatisfy { $0.kind.rawValue != "provision-failed" })

        let current = try #require(try s.jobs.job(mac))
        let reachable = ProvisionJobUpdate(
            state: .reachable, reason: nil, due: 13, attempts: 0,
            event: DeviceEvent(time: 12, kind: .init(rawValue: "provision-reachable"), mac: mac))
        #expect(try s.jobs.update(current, reachable, now: 12))
        #expect(try s.jobs.job(mac)?.state == .reachable)
        #expect(try s.inventory.events(for: mac, limit: 1).first?.kind.rawValue == "provision-reachable")
    }

    @Test func dueJobsAreTheEarliestFirstAndFinalJobsAreNeverDue() throws {
        let s = try stores()
        let macs = (1...3).map { MACAddress(value: 0x0c383e000000 + UInt64($0)) }
        for m in macs { try s.inventory.insert(Device(mac: m), now: 1) }
        try s.leases.commitBlocking(leases: [], events: macs.map { LeaseEvent(time: 2, kind: .leased, mac: $0, ip: IPv4Address("127.64.1.5")!) })
        _ = try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan)
        let first = try #require(try s.jobs.job(macs[0]))
        _ = try s.jobs.update(first, ProvisionJobUpdate(state: .verified, reason: nil, due: nil, attempts: 0, event: nil), now: 11)
        let second = try #require(try s.jobs.job(macs[1]))
        _ = try s.jobs.update(second, ProvisionJobUpdate(state: .leased, reason: "waiting", due: 90, attempts: 1, event: nil), now: 11)
        #expect(try s.jobs.dueJobs(now: 99, limit: 10).map(\.mac) == [macs[1]])
        #expect(try s.jobs.dueJobs(now: 100, limit: 10).map(\.mac) == [macs[1], macs[2]])
        #expect(try s.jobs.nextDue() == 90)
        #expect(try s.jobs.jobs().count == 3)
    }

    @Test func aNudgeOnlyBringsTheAttemptForwardAndKeepsTheDeadline() throws {
        let s = try stores()
        try s.inventory.insert(Device(mac: mac), now: 1)
        try s.leases.commitBlocking(leases: [], events: [LeaseEvent(time: 2, kind: .leased, mac: mac, ip: IPv4Address("127.64.1.5")!)])
        _ = try s.jobs.ingestTriggers(limit: 100, now: 10, Self.plan)   // due 100, deadline 400
        try s.inventory.record(events: [DeviceEvent(time: 4, kind: .init(rawValue: "phone-reg-failed"), mac: mac)], contacts: [])
        _ = try s.jobs.ingestTriggers(limit: 100, now: 11) { _, _ in
            ProvisionJobReset(state: .pushed, trigger: "phone-reg-failed", ip: nil, due: 20, deadline: 999, nudgeOnly: true)
        }
        let job = try #require(try s.jobs.job(mac))
        #expect(job.due == 20 && job.deadline == 400 && job.state == .leased && job.generation == 1 && job.trigger == "leased")
    }
}
