import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct AdminAPITests {
    let token = String(repeating: "ab", count: 32)
    var auth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test(arguments: ["", "Bearer wrong", "Basic YTpi"])
    func everyRouteNeedsTheToken(header: String) async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let headers: HTTPFields = header.isEmpty ? [:] : [.authorization: header]
            for uri in ["/api/v1/devices", "/api/v1/groups", "/api/v1/devices/export", "/nothing"] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status == .unauthorized, "\(uri)")
            }
        }
    }

    @Test func devicesCanBeCreatedReadPatchedListedAndDeletedWithoutShowingPasswords() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let body = #"{"mac":"0c:38:3e:07:e1:6c","label":"Desk 1","admin_user":"admin","admin_password":"adm-pw","variables":{"site":"A"},"lines":[{"index":1,"number":"101","password":"sip-pw","registrar":"pbx"}]}"#
            let created = try await client.execute(uri: "/api/v1/devices", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            #expect(try json(created)["mac"] as? String == "0c383e07e16c")
            let again = try await client.execute(uri: "/api/v1/devices", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(again.status == .conflict)
            let bad = try await client.execute(
                uri: "/api/v1/devices", method: .post, headers: auth, body: ByteBuffer(string: #"{"mac":"nope"}"#))
            #expect(bad.status == .badRequest)
            #expect(try json(bad)["field"] as? String == "mac")
            let missing = try await client.execute(
                uri: "/api/v1/devices", method: .post, headers: auth, body: ByteBuffer(string: #"{"label":"x"}"#))
            #expect(missing.status == .badRequest)
            #expect(try json(missing)["field"] as? String == "mac")
            let badVariable = try await client.execute(
                uri: "/api/v1/devices", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"mac":"0c383e000002","variables":{"Bad":"x"}}"#))
            #expect(badVariable.status == .badRequest)
            #expect(try json(badVariable)["field"] as? String == "variables.Bad")

            let patched = try await client.execute(
                uri: "/api/v1/devices/0c383e07e16c", method: .patch, headers: auth,
                body: ByteBuffer(string: #"{"label":"Desk 2","variables":{"site":null,"floor":"3"}}"#))
            #expect(patched.status == .ok)
            let device = try json(patched)
            #expect(device["label"] as? String == "Desk 2")
            #expect(device["variables"] as? [String: String] == ["floor": "3"])
            #expect(device["admin_password_set"] as? Bool == true)
            let list = try await client.execute(uri: "/api/v1/devices?group=default", method: .get, headers: auth)
            #expect((try json(list)["devices"] as? [Any])?.count == 1)
            let none = try await client.execute(uri: "/api/v1/devices?group=elsewhere", method: .get, headers: auth)
            #expect((try json(none)["devices"] as? [Any])?.count == 0)
            let badState = try await client.execute(uri: "/api/v1/devices?state=bogus", method: .get, headers: auth)
            #expect(badState.status == .badRequest)
            for response in [created, patched, list] {
                let text = String(buffer: response.body)
                #expect(!text.contains("adm-pw") && !text.contains("sip-pw"), "passwords are write-only")
            }
            let rendered = try await client.execute(uri: "/api/v1/devices/0c383e07e16c/render", method: .get, headers: auth)
            #expect(rendered.status == .ok && String(buffer: rendered.body).contains("<RegisterPswd>sip-pw</RegisterPswd>"))
            let events = try await client.execute(uri: "/api/v1/devices/0c383e07e16c/events?limit=5", method: .get, headers: auth)
            #expect(events.status == .ok)
            #expect(try json(events)["events"] as? [Any] != nil)
            let deleted = try await client.execute(uri: "/api/v1/devices/0c383e07e16c", method: .delete, headers: auth)
            #expect(deleted.status == .noContent)
            let gone = try await client.execute(uri: "/api/v1/devices/0c383e07e16c", method: .get, headers: auth)
            #expect(gone.status == .notFound)
        }
    }

    @Test(arguments: [
        (#"{"mac":"0c383e000001","password":"x"}"#, "/api/v1/devices", HTTPRequest.Method.post, "password"),
        (#"{"mac":"0c383e000001","lines":[{"index":1,"number":"1","pasword":"x"}]}"#, "/api/v1/devices", .post, "lines[0].pasword"),
        (#"{"mac":"0c383e000001"}"#, "/api/v1/devices/0c383e000001", .patch, "mac"),
        (#"{"name":"g","vars":{}}"#, "/api/v1/groups", .post, "vars"),
    ])
    func unknownKeysAreRefusedNamingThem(body: String, uri: String, method: HTTPRequest.Method, field: String) async throws {
        let h = try Harness()
        try h.inventory.insert(Device(mac: MACAddress("0c383e000001")!), now: 1)
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(uri: uri, method: method, headers: auth, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(try json(response)["field"] as? String == field)
        }
    }

    @Test func missingValuesAreNullNotAbsent() async throws {
        let h = try Harness()
        try h.inventory.insert(Device(mac: MACAddress("0c383e000001")!), now: 1)
        try await h.adminApp(token: token).test(.live) { client in
            let device = try json(try await client.execute(uri: "/api/v1/devices/0c383e000001", method: .get, headers: auth))
            for key in ["model", "admin_user", "firmware", "last_ip", "last_seen"] {
                #expect(device.keys.contains(key) && device[key] is NSNull, "\(key)")
            }
        }
    }

    @Test func csvImportIsAllOrNothingAndExportRoundTrips() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let csvHeaders: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "text/csv"]
            let bad = "mac,label,line1_number,line1_registrar_port\n0c383e000001,a,101,5060\n0c383e000002,b,102,http\n"
            let refused = try await client.execute(
                uri: "/api/v1/devices/import", method: .post, headers: csvHeaders, body: ByteBuffer(string: bad))
            #expect(refused.status == .badRequest)
            let error = try json(refused)
            #expect(error["line"] as? Int == 3 && error["column"] as? Int == 4 && error["field"] as? String == "line1_registrar_port")
            #expect(try h.inventory.devices(group: nil, state: nil).isEmpty, "nothing imported")
            let good = "mac,label,line1_number,line1_password\n0c383e000001,a,101,pw1\n0c383e000002,b,102,pw2\n"
            let imported = try await client.execute(
                uri: "/api/v1/devices/import", method: .post, headers: csvHeaders, body: ByteBuffer(string: good))
            #expect(try json(imported)["imported"] as? Int == 2)
            let export = try await client.execute(uri: "/api/v1/devices/export", method: .get, headers: auth)
            #expect(export.headers[.contentType] == "text/csv; charset=utf-8")
            let rows = try DeviceCSV.parse(String(buffer: export.body))
            #expect(rows.map(\.device.mac.compact) == ["0c383e000001", "0c383e000002"])
            #expect(rows.map { $0.device.lines.first?.password } == ["pw1", "pw2"])
        }
    }

    @Test func groupsCanBeManagedAndAreProtectedWhileUsed() async throws {
        let h = try Harness()
        try await h.adminApp(token: token).test(.live) { client in
            let created = try await client.execute(
                uri: "/api/v1/groups", method: .post, headers: auth, body: ByteBuffer(string: #"{"name":"site-a","variables":{"registrar":"pbx-a"}}"#))
            #expect(created.status == .created)
            let device = try await client.execute(
                uri: "/api/v1/devices", method: .post, headers: auth, body: ByteBuffer(string: #"{"mac":"0c383e000001","group":"site-a"}"#))
            #expect(device.status == .created)
            let noGroup = try await client.execute(
                uri: "/api/v1/devices", method: .post, headers: auth, body: ByteBuffer(string: #"{"mac":"0c383e000002","group":"nowhere"}"#))
            #expect(noGroup.status == .badRequest)
            #expect(try json(noGroup)["field"] as? String == "group")
            let patched = try await client.execute(
                uri: "/api/v1/groups/site-a", method: .patch, headers: auth, body: ByteBuffer(string: #"{"variables":{"registrar":null,"ntp_server":"n"}}"#))
            #expect(try json(patched)["variables"] as? [String: String] == ["ntp_server": "n"])
            let inUse = try await client.execute(uri: "/api/v1/groups/site-a", method: .delete, headers: auth)
            #expect(inUse.status == .conflict)
            _ = try await client.execute(uri: "/api/v1/devices/0c383e000001", method: .delete, headers: auth)
            #expect(try await client.execute(uri: "/api/v1/groups/site-a", method: .delete, headers: auth).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/groups/site-a", method: .get, headers: auth).status == .notFound)
        }
    }
}
