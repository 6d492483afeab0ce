import DHCPv4
import Foundation
import Rendering
import Store
import Testing

/// `Renderer.reload(settings:)`: one shared renderer, new settings for every holder.
@Suite struct RendererReloadTests {
    func settings(globals: [String: String], shipped: String = shippedTemplates) -> RenderSettings {
        RenderSettings(shippedFolder: shipped, globalVariables: globals)
    }

    @Test func newVariablesApplyToTheNextRenderAndTheRevisionMoves() throws {
        let renderer = try Renderer(settings: settings(globals: ["ntp_server": "192.0.2.1"]))
        let holder = renderer  // another service holding the same instance
        #expect(try holder.render(.device(testMAC), device: testDevice(), group: nil).body.contains("<SNTPServer>192.0.2.1<"))
        let before = renderer.snapshot.revision
        try renderer.reload(settings: settings(globals: ["ntp_server": "192.0.2.123"]))
        #expect(try holder.render(.device(testMAC), device: testDevice(), group: nil).body.contains("<SNTPServer>192.0.2.123<"))
        #expect(renderer.snapshot.revision == before + 1, "the revision is part of the config server's cache stamp")
    }

    @Test func aFolderWithoutAProfileIsRefusedAndTheOldSettingsStay() throws {
        let renderer = try Renderer(settings: settings(globals: ["ntp_server": "192.0.2.1"]))
        #expect(throws: RenderError.self) {
            try renderer.reload(settings: settings(globals: ["ntp_server": "192.0.2.9"], shipped: temporaryFolder()))
        }
        #expect(renderer.settings.globalVariables["ntp_server"] == "192.0.2.1")
        #expect(renderer.snapshot.revision == 0)
        #expect(try renderer.render(.device(testMAC), device: testDevice(), group: nil).body.contains("192.0.2.1<"))
    }
}
