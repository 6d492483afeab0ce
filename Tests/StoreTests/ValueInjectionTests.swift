import DHCPv4
import Store
import Testing

/// Issue 13 item 2: a display name with Unicode line separators added push
/// items (the phone took both keys). Every door refuses it, naming the
/// field and the character, storing nothing.
let injection = "Desk 2\u{2028}sip.line.2.RegisterAddr = 6.6.6.6\u{85}web.account.1.Password = injected"

@Suite struct ValueInjectionTests {
    let mac = MACAddress("0c383e000001")!

    func store() throws -> SQLiteInventoryStore {
        SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal))
    }

    @Test func anUpdateWithTheInjectionIsRefusedAndNothingChanges() throws {
        let store = try store()
        try store.insert(Device(mac: mac, label: "Desk 1", lines: [SIPLine(index: 1, number: "101")]), now: 1)
        #expect(throws: InventoryError.invalid(field: "lines[0].display_name",
                                               message: "contains a line or paragraph separator (U+2028), which would break a config line")) {
            try store.update(mac, now: 2) { $0.lines[0].displayName = injection }
        }
        #expect(throws: InventoryError.self) { try store.update(mac, now: 2) { $0.label = injection } }
        let stored = try #require(try store.device(mac))
        #expect(stored.label == "Desk 1" && stored.lines[0].displayName.isEmpty && stored.revision == 1)
    }

    @Test(arguments: ["\u{85}", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}", "\u{9F}", "\u{202E}", "\u{FEFF}"])
    func everySeparatorIsRefusedInEveryField(separator: String) throws {
        let store = try store()
        let bad = "a\(separator)b = c"
        let devices = [
            Device(mac: mac, label: bad),
            Device(mac: mac, model: bad),
            Device(mac: mac, adminUser: bad),
            Device(mac: mac, adminPassword: bad),
            Device(mac: mac, variables: ["ntp_server": bad]),
            Device(mac: mac, lines: [SIPLine(index: 1, number: bad)]),
            Device(mac: mac, lines: [SIPLine(index: 1, number: "1", password: bad)]),
            Device(mac: mac, lines: [SIPLine(index: 1, number: "1", registrar: bad)]),
        ]
        for device in devices {
            #expect(throws: InventoryError.self) { try store.insert(device, now: 1) }
        }
        #expect(throws: InventoryError.self) { try store.insert(DeviceGroup(name: "g", variables: ["registrar": bad]), now: 1) }
        #expect(try store.devices(group: nil, state: nil).isEmpty)
        #expect(try store.group("g") == nil)
    }

    @Test func aPasswordIsNeverEchoed() throws {
        let store = try store()
        do {
            try store.insert(Device(mac: mac, adminPassword: "s3cret\u{2028}web.x = y"), now: 1)
            Issue.record("accepted a separator")
        } catch {
            #expect(!String(describing: error).contains("s3cret") && String(describing: error).contains("admin_password"))
        }
    }

    @Test func aCSVImportWithTheInjectionIsRefusedAndImportsNothing() throws {
        let store = try store()
        let csv = "mac,line1_number,line1_display_name\n0c383e000001,101,\"\(injection)\"\n"
        do {
            _ = try DeviceImport.run(csv: csv, into: store, now: 1)
            Issue.record("imported the injection")
        } catch {
            #expect(error.line == 2 && error.column == 3 && error.columnName == "line1_display_name")
            #expect(error.message.contains("U+2028") && !error.description.contains("6.6.6.6"))
        }
        #expect(try store.devices(group: nil, state: nil).isEmpty)
    }

    @Test func aTemplateVariableWithTheInjectionIsRefused() throws {
        let store = try store()
        #expect(throws: InventoryError.invalid(field: "variables.ntp_server",
                                               message: "contains a line or paragraph separator (U+2028), which would break a config line")) {
            try store.insert(DeviceGroup(name: "site-a", variables: ["ntp_server": injection]), now: 1)
        }
        try store.insert(DeviceGroup(name: "site-b"), now: 1)
        #expect(throws: InventoryError.self) { try store.update(group: "site-b", now: 2) { $0.variables["timezone"] = injection } }
        #expect(try store.group("site-a") == nil && store.group("site-b")?.variables == [:])
    }
}
