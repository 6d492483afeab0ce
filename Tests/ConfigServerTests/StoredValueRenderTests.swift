import ConfigServer
import DHCPv4
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// Issue 13 item 2, render side: a value written into the store past the
/// input checks (here straight into SQLite) is never served. The phone's
/// fetch fails (500, `render-error`) and the admin render names the field;
/// neither response carries the value.
@Suite struct StoredValueRenderTests {
    let token = String(repeating: "ab", count: 32)
    static let injection = "Desk 2\u{2028}sip.line.2.RegisterAddr = 6.6.6.6\u{85}web.account.1.Password = injected"

    /// The test phone, its label then overwritten in SQLite: the line has no
    /// display name, so the label would become `sip.line.1.DisplayName`.
    func harness() throws -> Harness {
        let h = try Harness()
        try h.addPhone()
        try h.lease("127.0.0.1")
        try h.database.pool.write { db in
            try db.execute(sql: "UPDATE device SET label = ? WHERE mac = ?", arguments: [Self.injection, phoneMAC.description])
        }
        #expect(try h.inventory.device(phoneMAC)?.label == Self.injection)
        return h
    }

    @Test func thePhoneGetsNoFileAndTheAdminRenderNamesTheField() async throws {
        let h = try harness()
        try await h.phoneApp().test { client in
            let response = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(response.status == .internalServerError)
            #expect(!String(buffer: response.body).contains("6.6.6.6"))
        }
        try await h.adminApp(token: token).test(.live) { client in
            let response = try await client.execute(
                uri: "/api/v1/devices/\(phoneMAC.compact)/render", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .unprocessableContent)
            let body = String(buffer: response.body)
            #expect(body.contains("label") && body.contains("U+2028") && !body.contains("6.6.6.6"))
        }
    }

    @Test func thePushIsRefusedToo() throws {
        let h = try harness()
        let device = try #require(try h.inventory.device(phoneMAC))
        #expect(throws: (any Error).self) { try h.renderer.pushItems(device: device, group: nil) }
    }
}
