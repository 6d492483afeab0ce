import DHCPv4
import Foundation
import Store
import Testing

@Suite struct DeviceCSVTests {
    let header = "mac,label,group,admin_password,line1_number,line1_password,line1_registrar,line1_transport,var_ntp_server"

    @Test func aGoodFileParsesEveryColumn() throws {
        let rows = try DeviceCSV.parse("""
            \(header)
            0c:38:3e:07:e1:6c,"Desk, 1",default,adm,101,p1,pbx,tcp,ntp.example
            0C383E000002,Desk 2,,,,,,,

            """)
        #expect(rows.count == 2)
        let first = rows[0].device
        #expect(first.mac == MACAddress("0c383e07e16c") && first.label == "Desk, 1" && first.adminPassword == "adm")
        #expect(first.lines == [SIPLine(index: 1, number: "101", password: "p1", registrar: "pbx", transport: .tcp)])
        #expect(first.variables == ["ntp_server": "ntp.example"])
        #expect(rows[1].device.lines.isEmpty && rows[1].device.group == "default" && rows[1].line == 3)
    }

    @Test(arguments: [
        ("mac,colour\n0c383e000001,red\n", 1, 2, "unknown column"),
        ("label\nx\n", 1, 1, "expected a mac column"),
        ("mac,mac\n", 1, 2, "column given twice"),
        ("mac,label\n0c383e000001,a\nnot-a-mac,b\n", 3, 1, "expected a MAC"),
        ("mac,label\n000000000000,a\n", 2, 1, "000000000000 is not a device"),
        ("mac,label\n0c383e000001,a\n0c:38:3e:00:00:01,b\n", 3, 1, "already on line 2"),
        ("mac,label\n0c383e000001\n", 2, 2, "expected 2 fields"),
        ("mac,line1_number,line1_registrar_port\n0c383e000001,101,99999\n", 2, 3, "expected a port"),
        ("mac,line2_number,line2_transport\n0c383e000001,101,sctp\n", 2, 3, "expected udp, tcp or tls"),
        ("mac,line1_number,line1_password\n0c383e000001,,pw\n", 2, 2, "has settings but no number"),
        ("mac,group\n0c383e000001,bad group\n", 2, 2, "expected 1-64"),
        ("mac,label\n0c383e000001,\"multi\nline\"\n", 2, 2, "control character"),
        ("mac,label\n0c383e000001,a\n0c383e000002,\"x\u{7}\"\n", 3, 2, "control character"),
        ("mac,line17_number\n", 1, 2, "unknown column"),
        ("mac,var_mac\n", 1, 2, "unknown column"),
        ("", 1, 1, "expected a header row"),
    ])
    func badFilesNameLineAndColumn(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try DeviceCSV.parse(text)
            Issue.record("accepted a bad file")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func errorsNeverCarryTheCellValue() {
        do {
            _ = try DeviceCSV.parse("mac,line1_number,line1_password\n0c383e000001,101,\"s3cret\u{1}\"\n")
            Issue.record("accepted a control character")
        } catch {
            #expect(!error.description.contains("s3cret"))
            #expect(error.description.hasPrefix("line 2, column 3 (line1_password):"))
        }
    }

    @Test func aBadRowImportsNothing() throws {
        let store = SQLiteInventoryStore(database: try SQLiteDatabase(path: temporaryStorePath(), synchronous: .normal))
        let csv = "mac,group\n0c383e000001,default\n0c383e000002,nowhere\n"
        do {
            _ = try DeviceImport.run(csv: csv, into: store, now: 1)
            Issue.record("imported a row with an unknown group")
        } catch {
            #expect(error.line == 3 && error.column == 2 && error.message.contains("group nowhere does not exist"))
        }
        #expect(try store.devices(group: nil, state: nil).isEmpty)
        #expect(try DeviceImport.run(csv: "mac,group\n0c383e000001,default\n", into: store, now: 1) == 1)
    }

    @Test func exportReadsBackToTheSameDevices() throws {
        let devices = [
            Device(mac: MACAddress("0c383e000001")!, label: "a, \"quoted\"", adminUser: "admin", adminPassword: "p,w",
                   variables: ["timezone": "4"],
                   lines: [SIPLine(index: 1, number: "101", authUser: "u101", password: "x", displayName: "A", registrar: "pbx",
                                   registrarPort: 5070, transport: .tls),
                           SIPLine(index: 3, number: "103")]),
            Device(mac: MACAddress("0c383e000002")!, model: "X4", group: "default"),
        ]
        let rows = try DeviceCSV.parse(DeviceCSV.export(devices))
        #expect(rows.map(\.device) == devices)
    }
}
