import DHCPv4
import Foundation
import Store
import Testing

/// A fresh database file in its own temporary folder.
func temporaryStorePath() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("autoprov-store-\(UUID().uuidString)")
    return dir.appendingPathComponent("leases.sqlite").path
}

@Suite struct SQLiteLeaseStoreTests {
    let mac = MACAddress("0c:38:3e:07:e1:6c")!
    let other = MACAddress("02:00:00:00:00:01")!

    func lease(_ ip: String, _ mac: MACAddress, _ state: LeaseState = .bound, expires: Int64 = 2_000) -> Lease {
        Lease(ip: IPv4Address(ip)!, mac: mac, clientID: [1] + mac.bytes, state: state, subnet: "192.0.2.0/24",
              className: "fanvil", hostname: "phone", expires: expires, updated: 1_000)
    }

    @Test func committedLeasesAndEventsSurviveReopening() async throws {
        let path = temporaryStorePath()
        do {
            let store = try SQLiteLeaseStore(path: path)
            try await store.commit(
                leases: [lease("192.0.2.100", mac), lease("192.0.2.101", other)],
                events: [LeaseEvent(time: 1_000, kind: .leased, mac: mac, ip: IPv4Address("192.0.2.100")!, className: "fanvil")])
        }
        let reopened = try SQLiteLeaseStore(path: path)
        let all = try reopened.allLeases()
        #expect(all == [lease("192.0.2.100", mac), lease("192.0.2.101", other)])
        let events = try reopened.events(after: 0, limit: 10)
        #expect(events.count == 1)
        #expect(events.first?.kind == .leased)
        #expect(events.first?.mac == mac)
        #expect(events.first?.className == "fanvil")
        #expect(try reopened.lastEventID() == events.first?.id)
    }

    @Test func anAddressHasOneRowAndTheLatestHolderWins() async throws {
        let store = try SQLiteLeaseStore(path: temporaryStorePath(), synchronous: .normal)
        try await store.commit(leases: [lease("192.0.2.100", mac, .released)], events: [])
        try await store.commit(leases: [lease("192.0.2.100", other)], events: [])
        let rows = try store.allLeases()
        #expect(rows.count == 1)
        #expect(rows.first?.mac == other)
        #expect(rows.first?.state == .bound)
    }

    @Test func filtersByMACAddressAndEffectiveState() async throws {
        let store = try SQLiteLeaseStore(path: temporaryStorePath(), synchronous: .normal)
        try store.commitBlocking(leases: [
            lease("192.0.2.100", mac, expires: 500), lease("192.0.2.101", other, expires: 5_000),
        ], events: [])
        #expect(try store.leases(matching: LeaseFilter(mac: mac), now: 1_000).map(\.ip) == [IPv4Address("192.0.2.100")!])
        #expect(try store.leases(matching: LeaseFilter(ip: IPv4Address("192.0.2.101")), now: 1_000).map(\.mac) == [other])
        #expect(try store.leases(matching: LeaseFilter(state: .expired), now: 1_000).map(\.mac) == [mac],
                "a bound lease past its expiry reads as expired")
        #expect(try store.leases(matching: LeaseFilter(state: .bound), now: 1_000).map(\.mac) == [other])
    }

    @Test func adminReleaseFreesTheLeaseAndRecordsAnAdminEvent() throws {
        let store = try SQLiteLeaseStore(path: temporaryStorePath(), synchronous: .normal)
        try store.commitBlocking(leases: [lease("192.0.2.100", mac), lease("192.0.2.101", other)], events: [])
        #expect(try store.release(mac: mac, now: 1_500) == [IPv4Address("192.0.2.100")!])
        #expect(try store.leases(matching: LeaseFilter(mac: mac), now: 1_500).first?.state == .released)
        #expect(try store.leases(matching: LeaseFilter(mac: other), now: 1_500).first?.state == .bound)
        let events = try store.events(after: 0, limit: 10)
        #expect(events.map(\.origin) == [.admin])
        #expect(events.map(\.kind) == [.released])
        #expect(try store.release(mac: mac, now: 1_600).isEmpty, "nothing left to release")
    }

    /// The writer never checkpoints inside a commit; housekeeping does, from
    /// its own connection, and the WAL is reused instead of growing.
    @Test func housekeepingCheckpointsTheWALOffTheCommitPath() throws {
        let path = temporaryStorePath()
        let store = try SQLiteLeaseStore(path: path)
        func walSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
        for round in 0..<3 {
            for i in 0..<40 {
                let leases = (0..<100).map {
                    lease("192.0.2.\($0 % 250)", MACAddress(value: UInt64(round * 100_000 + i * 1000 + $0)))
                }
                try store.commitBlocking(leases: leases, events: [])
            }
            try store.housekeeping()
        }
        let settled = walSize()
        for i in 0..<40 {
            try store.commitBlocking(leases: [lease("192.0.2.\(i)", mac)], events: [])
        }
        try store.housekeeping()
        #expect(walSize() <= settled, "after a checkpoint the WAL is rewritten from its start, not grown")
        #expect(try store.allLeases().count == 100)
    }

    @Test func eventsArePagedInOrder() throws {
        let store = try SQLiteLeaseStore(path: temporaryStorePath(), synchronous: .normal)
        let events = (0..<5).map {
            LeaseEvent(time: Double($0), kind: .leased, mac: mac, ip: IPv4Address(UInt32(0xC000_0264 + $0)))
        }
        try store.commitBlocking(leases: [], events: events)
        let first = try store.events(after: 0, limit: 2)
        let rest = try store.events(after: first.last!.id!, limit: 10)
        #expect((first + rest).map(\.time) == [0, 1, 2, 3, 4])
    }

    @Test func aWindowOfEventsYieldsOnlyTheAskedOriginAndWhereItEnded() throws {
        let store = try SQLiteLeaseStore(path: temporaryStorePath(), synchronous: .normal)
        try store.commitBlocking(leases: [lease("192.0.2.100", mac)], events: (0..<4).map {
            LeaseEvent(time: Double($0), kind: .leased, mac: other, ip: IPv4Address(UInt32(0xC000_0264 + $0)))
        })
        _ = try store.release(mac: mac, now: 1_500)  // event 5, origin admin
        let first = try store.events(after: 0, limit: 3, origin: .admin)
        #expect(first.events.isEmpty && first.last == 3 && first.full, "three DHCP events looked at, none picked")
        let second = try store.events(after: first.last, limit: 3, origin: .admin)
        #expect(second.events.map(\.kind) == [.released] && second.events.map(\.mac) == [mac])
        #expect(second.last == 5 && !second.full)
        let end = try store.events(after: second.last, limit: 3, origin: .admin)
        #expect(end.events.isEmpty && end.last == 5 && !end.full)
    }
}

/// Observe mode's leases: origin and server survive the store.
@Suite struct LeaseOriginTests {
    @Test func observedLeasesAndEventsKeepTheirOriginAndServer() async throws {
        let path = temporaryStorePath()
        let mac = MACAddress("0c:38:3e:10:00:01")!
        let ip = IPv4Address("10.78.0.57")!
        let observed = Lease(
            ip: ip, mac: mac, state: .bound, subnet: "10.78.0.0/24", className: "fanvil", expires: 2_000, updated: 1_000,
            origin: .observed, server: IPv4Address("10.77.0.1")!)
        let own = Lease(ip: IPv4Address("192.0.2.100")!, mac: mac, state: .bound, subnet: "192.0.2.0/24", expires: 2_000, updated: 1_000)
        do {
            let store = try SQLiteLeaseStore(path: path)
            try await store.commit(leases: [observed, own], events: [
                LeaseEvent(time: 1_000, kind: .leased, mac: mac, ip: ip, className: "fanvil", origin: .observed),
            ])
        }
        let reopened = try SQLiteLeaseStore(path: path)
        #expect(try reopened.allLeases() == [observed, own].sorted { $0.ip < $1.ip })
        #expect(try reopened.allLeases().map(\.origin) == [.observed, .dhcp])
        #expect(try reopened.events(after: 0, limit: 10).map(\.origin) == [.observed])
    }
}
