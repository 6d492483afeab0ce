import DHCPv4
import Foundation
import Store
import Testing

@Suite struct SQLiteInventoryStoreTests {
    let mac = MACAddress("0c:38:3e:07:e1:6c")!

    func store() throws -> SQLiteInventoryStore {
        SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal))
    }

    func phone() -> Device {
        Device(mac: mac, label: "Desk 1", lines: [SIPLine(index: 1, number: "101", password: "pw", registrar: "pbx")])
    }

    @Test func devicesSurviveReopeningAndKeepEveryField() throws {
        let path = temporaryStorePath()
        var device = phone()
        device.variables = ["ntp_server": "ntp.example"]
        device.adminUser = "admin"
        device.adminPassword = "secret"
        try SQLiteInventoryStore(database: try SQLiteDatabase(path: path)).insert(device, now: 10)
        let reopened = SQLiteInventoryStore(database: try SQLiteDatabase(path: path))
        let stored = try #require(try reopened.device(mac))
        #expect(stored.lines == device.lines)
        #expect(stored.variables == ["ntp_server": "ntp.example"])
        #expect(stored.adminPassword == "secret")
        #expect(stored.created == 10 && stored.revision == 1 && stored.state == .new && stored.group == "default")
    }

    @Test func insertTwiceIsAConflictAndUpdateBumpsTheRevision() throws {
        let store = try store()
        try store.insert(phone(), now: 1)
        #expect(throws: InventoryError.exists("device 0c383e07e16c")) { try store.insert(phone(), now: 2) }
        let updated = try store.update(mac, now: 3) { $0.label = "Desk 2" }
        #expect(updated.revision == 2 && updated.label == "Desk 2" && updated.updated == 3)
        #expect(throws: InventoryError.notFound("device 02000000aaaa")) {
            try store.update(MACAddress("02:00:00:00:aa:aa")!, now: 4) { _ in }
        }
    }

    @Test(arguments: [
        (Device(mac: MACAddress(value: 1), group: "no such"), "group"),
        (Device(mac: MACAddress(value: 1), variables: ["Bad-Name": "x"]), "variables.Bad-Name"),
        (Device(mac: MACAddress(value: 1), variables: ["mac": "x"]), "variables.mac"),
        (Device(mac: MACAddress(value: 1), label: "two\nlines"), "label"),
        (Device(mac: MACAddress(value: 1), lines: [SIPLine(index: 17, number: "1")]), "lines[0].index"),
        (Device(mac: MACAddress(value: 1), lines: [SIPLine(index: 1, number: "")]), "lines[0].number"),
        (Device(mac: MACAddress(value: 1), lines: [SIPLine(index: 1, number: "1"), SIPLine(index: 1, number: "2")]), "lines[1].index"),
    ])
    func invalidDevicesAreRefusedNamingTheField(device: Device, field: String) throws {
        let store = try store()
        do {
            try store.insert(device, now: 1)
            Issue.record("accepted an invalid device")
        } catch InventoryError.invalid(let got, _) {
            #expect(got == field)
        } catch InventoryError.noSuchGroup {
            #expect(field == "group")
        }
        #expect(try store.devices(group: nil, state: nil).isEmpty)
    }

    @Test func groupsCarryVariablesAndCannotBeDeletedWhileUsed() throws {
        let store = try store()
        try store.insert(DeviceGroup(name: "site-a", variables: ["registrar": "pbx-a"]), now: 1)
        var device = phone()
        device.group = "site-a"
        try store.insert(device, now: 1)
        #expect(throws: InventoryError.groupInUse("site-a", devices: 1)) { try store.delete(group: "site-a") }
        let group = try store.update(group: "site-a", now: 2) { $0.variables["ntp_server"] = "n" }
        #expect(group.revision == 2 && group.variables == ["registrar": "pbx-a", "ntp_server": "n"])
        #expect(try store.group("site-a")?.revision == 2)
        #expect(try store.delete(mac))
        #expect(try store.delete(group: "site-a"))
        #expect(throws: InventoryError.protectedGroup("default")) { try store.delete(group: "default") }
    }

    @Test func fetchContactsRecordModelFirmwareAndStateAndEventsListNewestFirst() throws {
        let database = try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal)
        let store = SQLiteInventoryStore(database: database)
        try store.insert(phone(), now: 1)
        try store.record(
            events: [DeviceEvent(time: 5, kind: .configFetch, mac: mac, ip: "192.0.2.100", file: "0c383e07e16c.cfg", status: 403, reason: "not-leased-ip")],
            contacts: [])
        try store.record(
            events: [DeviceEvent(time: 6, kind: .configFetch, mac: mac, ip: "192.0.2.100", file: "0c383e07e16c.cfg", status: 200)],
            contacts: [DeviceContact(mac: mac, time: 6, ip: "192.0.2.100", model: "X6", firmware: "2.10", fetchedOwnFile: true)])
        try SQLiteLeaseStore(database: database).commitBlocking(
            leases: [], events: [LeaseEvent(time: 4, kind: .leased, mac: mac, ip: IPv4Address("192.0.2.100")!)])
        let device = try #require(try store.device(mac))
        #expect(device.model == "X6" && device.firmware == "2.10" && device.state == .configFetched)
        #expect(device.lastIP == "192.0.2.100" && device.lastSeen == 6)
        #expect(device.revision == 2, "a model learned from the User-Agent changes what is rendered")
        let events = try store.events(for: mac, limit: 10)
        #expect(events.map(\.time) == [6, 5, 4])
        #expect(events.map(\.kind.rawValue) == ["config-fetch", "config-fetch", "leased"])
        #expect(events[1].reason == "not-leased-ip")
    }

    @Test func upsertKeepsWhatPhonesTaughtAndIsAllOrNothing() throws {
        let store = try store()
        try store.insert(phone(), now: 1)
        try store.record(events: [], contacts: [DeviceContact(mac: mac, time: 2, ip: "192.0.2.9", model: "X4", firmware: "1", fetchedOwnFile: true)])
        var replacement = phone()
        replacement.label = "moved"
        var bad = Device(mac: MACAddress("0c:38:3e:00:00:02")!)
        bad.group = "missing"
        #expect(throws: InventoryError.noSuchGroup("missing")) { try store.upsert([replacement, bad], now: 3) }
        #expect(try store.device(mac)?.label == "Desk 1", "a failed upsert writes nothing")
        try store.upsert([replacement], now: 3)
        let device = try #require(try store.device(mac))
        #expect(device.label == "moved" && device.model == "X4" && device.state == .configFetched && device.created == 1)
    }
}
