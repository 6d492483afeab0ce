import DHCPv4
import Rendering
import Store
import Testing

@Suite struct PushItemsTests {
    @Test func theShippedPushTemplateSetsEveryLineAndTheActionURLs() throws {
        let renderer = try Renderer(settings: RenderSettings(
            shippedFolder: shippedTemplates, globalVariables: ["events_url": "http://192.0.2.1:8080/events"]))
        let items = try renderer.pushItems(device: testDevice(), group: nil)
        let table = Dictionary(items.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(items.first?.key == "sip.line.1.PhoneNumber")
        #expect(table["sip.line.1.RegisterPswd"] == "s3cret" && table["sip.line.1.RegisterAddr"] == "pbx.example")
        #expect(table["sip.line.1.RegisterPort"] == "5060" && table["sip.line.1.EnableReg"] == "1")
        #expect(table["cti.BootCompletedUrl"] == "http://192.0.2.1:8080/events/boot?mac=$mac&ip=$ip")
        #expect(items.allSatisfy { !$0.key.contains(" ") && !$0.key.hasPrefix("#") })
        let quiet = try Renderer(settings: RenderSettings(shippedFolder: shippedTemplates))
        #expect(try quiet.pushItems(device: testDevice(), group: nil).allSatisfy { !$0.key.hasPrefix("cti.") })
    }

    @Test func anOverrideForOneModelReplacesTheItemsAndAValueWithEqualsSurvives() throws {
        let folder = temporaryFolder()
        try write("# comment\n\nphone.PushXMLIP = 192.0.2.1\nsip.line.1.RegisterPswd = {{#lines}}{{password}}{{/lines}}\n",
                  to: folder, "fanvil/push/X6.cfg.mustache")
        let renderer = try Renderer(settings: RenderSettings(overrideFolder: folder, shippedFolder: shippedTemplates))
        var device = testDevice()
        device.lines[0].password = "a=b c"
        let items = try renderer.pushItems(device: device, group: nil)
        #expect(items.map(\.key) == ["phone.PushXMLIP", "sip.line.1.RegisterPswd"])
        #expect(items.last?.value == "a=b c")
    }

    /// The device's own provisioning credentials ride with the push, and
    /// override the shared ones in its file too (else a fetch would set
    /// the phone back to the shared password).
    @Test func aDeviceWithItsOwnSecretIsPushedItAndItsFileCarriesIt() throws {
        let globals = ["provisioning_username": "prov", "provisioning_password": "shared-pw"]
        let renderer = try Renderer(settings: RenderSettings(shippedFolder: shippedTemplates, globalVariables: globals))
        var device = testDevice()
        let bootstrap = Dictionary(try renderer.pushItems(device: device, group: nil).map { ($0.key, $0.value) }) { $1 }
        #expect(bootstrap["ap.DefaultUsername"] == "prov" && bootstrap["ap.DefaultPassword"] == "shared-pw")
        device.provisioningSecret = ProvisioningSecret(value: "Own0Secret0Of0This0Phone0Only0123456789")
        let items = Dictionary(try renderer.pushItems(device: device, group: nil).map { ($0.key, $0.value) }) { $1 }
        #expect(items["ap.DefaultUsername"] == "0c383e07e16c")
        #expect(items["ap.DefaultPassword"] == "Own0Secret0Of0This0Phone0Only0123456789")
        let file = try renderer.render(.device(testMAC), device: device, group: nil)
        let text = file.body
        #expect(text.contains("Own0Secret0Of0This0Phone0Only0123456789") && !text.contains("shared-pw"))
    }
}
