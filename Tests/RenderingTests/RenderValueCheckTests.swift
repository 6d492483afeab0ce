import DHCPv4
import Rendering
import SafeText
import Store
import Testing

/// The render-time half of issue 13 item 2: a value that bypassed input
/// validation (here a `Device` built directly, as an old row or a direct
/// store write would give) fails the render naming the field, never emitted.
@Suite struct RenderValueCheckTests {
    static let injection = "Desk 2\u{2028}sip.line.2.RegisterAddr = 6.6.6.6\u{85}web.account.1.Password = injected"

    @Test func theInjectionInADisplayNameFailsPushAndFilesNamingTheField() throws {
        var device = testDevice()
        device.lines[0].displayName = Self.injection
        for globals in [[:], ["config_format": "text"]] {
            let renderer = try Renderer(settings: RenderSettings(shippedFolder: shippedTemplates, globalVariables: globals))
            let expected = RenderError.unsafeValue(
                field: "lines[1].display_name", device: testMAC.compact, reason: .lineSeparator("\u{2028}"))
            #expect(throws: expected) { try renderer.pushItems(device: device, group: nil) }
            #expect(throws: expected) { try renderer.render(.device(testMAC), device: device, group: nil) }
        }
    }

    @Test func aTemplateVariableCannotCarryASeparatorFromAnyLevel() throws {
        let global = try Renderer(settings: RenderSettings(
            shippedFolder: shippedTemplates, globalVariables: ["ntp_server": "ntp\u{85}web.account.1.Password = x"]))
        #expect(throws: RenderError.unsafeValue(field: "variable ntp_server", device: testMAC.compact, reason: .controlCharacter("\u{85}"))) {
            try global.render(.device(testMAC), device: testDevice(), group: nil)
        }
        let model = try Renderer(settings: RenderSettings(
            shippedFolder: shippedTemplates, modelVariables: ["X6": ["timezone": "4\u{2029}x = y"]]))
        #expect(throws: RenderError.self) { try model.render(.device(testMAC), device: testDevice(), group: nil) }
        let plain = try Renderer(settings: RenderSettings(shippedFolder: shippedTemplates))
        let group = DeviceGroup(name: "g", variables: ["events_url": "http://x\u{2028}cti.RegOnUrl = http://evil"])
        #expect(throws: RenderError.self) { try plain.pushItems(device: testDevice(), group: group) }
        var device = testDevice()
        device.variables["timezone_name"] = "UTC\u{0B}x"
        #expect(throws: RenderError.self) { try plain.render(.device(testMAC), device: device, group: nil) }
    }

    @Test func theErrorNeverShowsTheValue() throws {
        var device = testDevice()
        device.adminPassword = "s3cret\u{2028}web.account.1.Level = 10"
        let renderer = try Renderer(settings: RenderSettings(shippedFolder: shippedTemplates))
        do {
            _ = try renderer.render(.device(testMAC), device: device, group: nil)
            Issue.record("rendered a separator")
        } catch {
            #expect(error.description.contains("admin_password") && error.description.contains("U+2028"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func aPushTemplateLineThatIsNotOneItemIsRefused() throws {
        let folder = temporaryFolder()
        try write("a = 1\na = 2\n", to: folder, "fanvil/push/X6.cfg.mustache")
        let renderer = try Renderer(settings: RenderSettings(overrideFolder: folder, shippedFolder: shippedTemplates))
        #expect(throws: RenderError.pushLine(template: "push/X6.cfg.mustache", line: 2, message: "a is set twice")) {
            try renderer.pushItems(device: testDevice(), group: nil)
        }
        try write("a = 1\u{2028}b = 2\r\n", to: folder, "fanvil/push/\(testMAC.compact).cfg.mustache")
        #expect(throws: RenderError.self) { try renderer.pushItems(device: testDevice(), group: nil) }
    }
}
