import Reloading
@testable import ConfigServer
import DHCPv4
import Foundation
import HTTPTypes
import Rendering
import Store
import Testing

/// A reload (SIGHUP) of the config server's settings and of the shared renderer.
@Suite struct ConfigServerReloadTests {
    @Test func newPrefixAndVariablesApplyToTheRunningListenerAndItsCache() async throws {
        let h = try Harness(globals: ["ntp_server": "192.0.2.1"])
        try h.addPhone()
        try h.lease("127.0.0.1")
        let service = h.service()
        let tester = PhoneServerTester(server: PhoneHTTPServer(host: "127.0.0.1", port: 0, service: service, logger: .init(label: "test")))
        try await tester.test { client in
            let before = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(before.status == .ok && String(buffer: before.body).contains("<SNTPServer>192.0.2.1<"))
            var settings = ConfigServerSettings()
            settings.pathPrefix = "/prov/"
            try service.reload(settings: settings)
            try h.renderer.reload(settings: RenderSettings(
                overrideFolder: h.overrideFolder, shippedFolder: shippedTemplates, globalVariables: ["ntp_server": "192.0.2.123"]))
            let old = try await client.execute(uri: "/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(old.status == .notFound, "the old prefix is gone")
            let new = try await client.execute(uri: "/prov/0c383e07e16c.cfg", method: .get, headers: [.userAgent: fanvilUA])
            #expect(new.status == .ok)
            #expect(String(buffer: new.body).contains("<SNTPServer>192.0.2.123<"), "the cached file was not served again")
        }
    }

    @Test func listenersAndTheRealmNeedARestart() {
        let service = try! Harness().service()
        var moved = ConfigServerSettings()
        moved.listen = ListenAddress(host: "127.0.0.1", port: 9)
        moved.digestRealm = "other"
        #expect(throws: ReloadRefusal(keys: ["config_server.listen", "config_server.digest_realm"])) {
            try service.reload(settings: moved)
        }
        #expect(service.settings.pathPrefix == ConfigServerSettings().pathPrefix)
    }

    @Test func connectionLimitsNeedARestart() {
        let service = try! Harness().service()
        var limited = ConfigServerSettings()
        limited.limits.maxConnectionsPerAddress = 4
        #expect(throws: ReloadRefusal(keys: ["config_server.limits"])) { try service.reload(settings: limited) }
    }
}
