import DHCPv4
import Foundation
import Store
import Testing

/// What the worker trusts, as the store keeps it (migration
/// `v6-device-api-trust`): the Digest fetch proof, the pinned certificate,
/// and when a job's current lease began.
@Suite struct DeviceTrustStoreTests {
    let mac = MACAddress("0c:38:3e:00:00:01")!

    @Test func aDigestFetchIsRecordedWithItsAddressAndKeptByLaterPlainFetches() throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let store = SQLiteInventoryStore(database: database)
        try store.insert(Device(mac: mac), now: 1)
        try store.record(events: [], contacts: [
            DeviceContact(mac: mac, time: 5, ip: "192.0.2.5", model: nil, firmware: nil, fetchedOwnFile: true,
                          digestFetch: DigestFetch(time: 5, ip: "192.0.2.5")),
        ])
        let revision = try #require(try store.device(mac)).revision
        try store.record(events: [], contacts: [
            DeviceContact(mac: mac, time: 9, ip: "192.0.2.6", model: nil, firmware: nil, fetchedOwnFile: false),
        ])
        let device = try #require(try store.device(mac))
        #expect(device.digestFetch == DigestFetch(time: 5, ip: "192.0.2.5"))
        #expect(device.lastIP == "192.0.2.6")
        #expect(device.revision == revision, "a proof does not change what is rendered")
    }

    @Test func adminChangesKeepTheTrustAndImportsNeverBringAny() throws {
        let store = SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal))
        try store.insert(Device(mac: mac, apiCertSHA256: "AB:CD"), now: 1)
        try store.record(events: [], contacts: [
            DeviceContact(mac: mac, time: 5, ip: "192.0.2.5", model: nil, firmware: nil, fetchedOwnFile: true,
                          digestFetch: DigestFetch(time: 5, ip: "192.0.2.5")),
        ])
        _ = try store.update(mac, now: 6) { $0.label = "Desk" }
        // A CSV row carries no trust: the stored one stays, a new device gets none.
        let other = MACAddress("0c:38:3e:00:00:02")!
        try store.upsert([Device(mac: mac, label: "Desk 2"),
                          Device(mac: other, digestFetch: DigestFetch(time: 7, ip: "192.0.2.7"), apiCertSHA256: "EF")], now: 7)
        let device = try #require(try store.device(mac))
        #expect(device.label == "Desk 2" && device.apiCertSHA256 == "AB:CD" && device.digestFetch?.ip == "192.0.2.5")
        let imported = try #require(try store.device(other))
        #expect(imported.digestFetch == nil && imported.apiCertSHA256 == nil)
    }

    @Test func aJobKeepsWhenItsLeaseBeganAcrossOtherTriggers() throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let inventory = SQLiteInventoryStore(database: database)
        let leases = SQLiteLeaseStore(database: database)
        let jobs = SQLiteProvisionJobStore(database: database)
        try inventory.insert(Device(mac: mac), now: 1)
        try leases.commitBlocking(leases: [], events: [LeaseEvent(time: 10, kind: .leased, mac: mac, ip: IPv4Address("192.0.2.5")!)])
        try inventory.record(events: [DeviceEvent(time: 11, kind: .configFetch, mac: mac, ip: "192.0.2.5", file: "x", status: 200)],
                             contacts: [])
        _ = try jobs.ingestTriggers(limit: 100, now: 12) { event, _ in
            switch event {
            case .lease(let e):
                ProvisionJobReset(state: .leased, trigger: "leased", ip: e.ip.description, due: 40, deadline: 400, leaseStarted: e.time)
            case .device(let e):
                ProvisionJobReset(state: .configFetched, trigger: "config-fetch", ip: e.ip, due: 13, deadline: 400)
            }
        }
        let job = try #require(try jobs.job(mac))
        #expect(job.trigger == "config-fetch" && job.leaseStarted == 10)
    }
}

extension DeviceTrustStoreTests {
    @Test func aCertificateIsPinnedOnceAndForgottenOnlyByAnAcceptance() throws {
        let store = SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal))
        try store.insert(Device(mac: mac), now: 1)
        let revision = try #require(try store.device(mac)).revision
        #expect(try store.pinAPICertificate(mac, sha256: "AA:AA", now: 2))
        #expect(try !store.pinAPICertificate(mac, sha256: "BB:BB", now: 3), "the first one stays")
        #expect(try store.device(mac)?.apiCertSHA256 == "AA:AA")
        #expect(try store.device(mac)?.revision == revision, "pinning changes nothing rendered")
        #expect(try store.acceptAPICertificate(mac, now: 4, by: "by test") == "AA:AA")
        #expect(try store.device(mac)?.apiCertSHA256 == nil)
        #expect(try store.acceptAPICertificate(mac, now: 5, by: "by test") == nil)
        let kinds = try store.events(for: mac, limit: 10).map(\.kind)
        #expect(kinds == [.apiCertAccepted, .apiCertAccepted, .apiCertPinned])
        #expect(throws: InventoryError.notFound("device 0c383e000009")) {
            try store.acceptAPICertificate(MACAddress("0c:38:3e:00:00:09")!, now: 6, by: "by test")
        }
    }
}
