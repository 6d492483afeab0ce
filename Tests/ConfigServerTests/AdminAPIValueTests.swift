import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// Issue 13 items 2 and 7 through the admin API: the display-name injection
/// (U+2028, U+0085) is refused with 400 naming the field and nothing stored;
/// the CSV export neutralises formulas and reads back to the originals.
@Suite struct AdminAPIValueTests {
    let token = String(repeating: "ab", count: 32)
    var auth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
    static let injection = #"Desk 2\u2028sip.line.2.RegisterAddr = 6.6.6.6\u0085web.account.1.Password = injected"#

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test(arguments: [
        (#"{"lines":[{"index":1,"number":"101","display_name":"\#(injection)"}]}"#, "lines[0].display_name"),
        (#"{"label":"\#(injection)"}"#, "label"),
        (#"{"admin_password":"s3cret\u2029web.account.1.Level = 10"}"#, "admin_password"),
        (#"{"variables":{"ntp_server":"\#(injection)"}}"#, "variables.ntp_server"),
    ])
    func aPatchWithTheInjectionIsRefusedAndChangesNothing(body: String, field: String) async throws {
        let h = try Harness()
        try h.addPhone()
        let before = try #require(try h.inventory.device(phoneMAC))
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(
                uri: "/api/v1/devices/\(phoneMAC.compact)", method: .patch, headers: auth, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let error = try json(response)
            #expect(error["field"] as? String == field)
            let message = try #require(error["error"] as? String)
            #expect(message.contains("U+2028") || message.contains("U+2029"))
            #expect(!message.contains("6.6.6.6") && !message.contains("s3cret"))
        }
        #expect(try h.inventory.device(phoneMAC) == before, "nothing stored")
    }

    @Test func groupVariablesAndCSVImportRefuseTheInjection() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let group = try await client.execute(
                uri: "/api/v1/groups", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"name":"site-a","variables":{"registrar":"\#(Self.injection)"}}"#))
            #expect(group.status == .badRequest)
            #expect(try json(group)["field"] as? String == "variables.registrar")
            let csvHeaders: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "text/csv"]
            let csv = "mac,line1_number,line1_display_name\n0c383e000001,101,Desk 2\u{2028}sip.line.2.RegisterAddr = 6.6.6.6\u{85}web.account.1.Password = injected\n"
            let imported = try await client.execute(
                uri: "/api/v1/devices/import", method: .post, headers: csvHeaders, body: ByteBuffer(string: csv))
            #expect(imported.status == .badRequest)
            let error = try json(imported)
            #expect(error["field"] as? String == "line1_display_name" && error["line"] as? Int == 2 && error["column"] as? Int == 3)
        }
        #expect(try h.inventory.group("site-a") == nil)
        #expect(try h.inventory.devices(group: nil, state: nil).isEmpty)
    }

    @Test func theExportNeutralisesFormulasAndImportGivesThemBack() async throws {
        let h = try Harness()
        let formulas = ["=cmd|' /C calc'!A0", "@SUM(A1:A2)", "+1", "-1", "=HYPERLINK(\"http://x.example\",\"y\")", "'=quoted"]
        for (i, value) in formulas.enumerated() {
            try h.inventory.insert(Device(
                mac: MACAddress(value: UInt64(0x0c383e000001 + i)), label: value,
                lines: [SIPLine(index: 1, number: "10\(i)", displayName: value)]), now: 1)
        }
        try await h.adminApp(token: token).test(.live) { client in
            let export = try await client.execute(uri: "/api/v1/devices/export", method: .get, headers: auth)
            let csv = String(buffer: export.body)
            #expect(csv.contains("'=cmd|' /C calc'!A0") && csv.contains(",'@SUM(A1:A2)") && csv.contains(",'+1"))
            #expect(csv.contains(",'-1") && csv.contains(#""'=HYPERLINK(""http://x.example"",""y"")""#) && csv.contains(",''=quoted"))
            let rows = try DeviceCSV.parse(csv)
            #expect(rows.map(\.device.label) == formulas)
            #expect(rows.map { $0.device.lines.first?.displayName } == formulas)
        }
    }
}
