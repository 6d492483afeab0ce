import DHCPv4
import Foundation
import Rendering
import SafeText
import Store
import Testing

@Suite struct RendererTests {
    func renderer(override: String? = nil, globals: [String: String] = [:], models: [String: [String: String]] = [:]) throws -> Renderer {
        try Renderer(settings: RenderSettings(
            overrideFolder: override, shippedFolder: shippedTemplates, globalVariables: globals, modelVariables: models))
    }

    @Test func theShippedDeviceTemplateIsSysConfXMLWithTheLine() throws {
        let file = try renderer().render(.device(testMAC), device: testDevice(), group: nil)
        #expect(file.template == "device/base.xml.mustache")
        #expect(file.body.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(file.body.contains("<RegisterAddr>pbx.example</RegisterAddr>"))
        #expect(file.body.contains("<RegisterPswd>s3cret</RegisterPswd>"))
        #expect(file.contentType.hasPrefix("text/xml"))
    }

    @Test func configFormatTextSelectsTheDotKeyTemplate() throws {
        let file = try renderer(globals: ["config_format": "text"]).render(.device(testMAC), device: testDevice(), group: nil)
        #expect(file.template == "device/base.cfg.mustache")
        #expect(file.body.contains("sip.line.1.RegisterAddr = pbx.example"))
    }

    @Test func valuesAreEscapedForXMLAndNeverEvaluated() throws {
        var device = testDevice()
        device.lines[0].password = "<a&b>\"'{{admin_password}}"
        let body = try renderer().render(.device(testMAC), device: device, group: nil).body
        #expect(body.contains("<RegisterPswd>&lt;a&amp;b&gt;&quot;&apos;{{admin_password}}</RegisterPswd>"))
    }

    @Test func textValuesCannotStartANewKey() throws {
        let r = try renderer(globals: ["config_format": "text", "ntp_server": "a\nsip.line.1.RegisterAddr = evil"])
        #expect(throws: RenderError.unsafeValue(field: "variable ntp_server", device: testMAC.compact, reason: .controlCharacter("\n"))) {
            try r.render(.device(testMAC), device: testDevice(), group: nil)
        }
    }

    @Test func variablesResolveGlobalGroupModelDeviceNearestWins() throws {
        let folder = temporaryFolder()
        try write("{{a}} {{b}} {{c}} {{d}}", to: folder, "fanvil/device/base.xml.mustache")
        let r = try renderer(override: folder, globals: ["a": "g", "b": "g", "c": "g", "d": "g"], models: ["X6": ["c": "m", "d": "m"], "X4": ["d": "other"]])
        var device = testDevice()
        device.variables = ["d": "dev"]
        let group = DeviceGroup(name: "default", variables: ["b": "grp", "c": "grp", "d": "grp"])
        #expect(try r.render(.device(testMAC), device: device, group: group).body == "g grp m dev")
    }

    @Test func lookupGoesMACThenModelThenBaseAndTheOverrideFolderWinsFileByFile() throws {
        let folder = temporaryFolder()
        let r = try renderer(override: folder)
        #expect(try r.render(.device(testMAC), device: testDevice(), group: nil).template == "device/base.xml.mustache")
        try write("model {{model}}", to: folder, "fanvil/device/X6.xml.mustache")
        #expect(try r.library.template(kind: "device", format: .xml, candidates: ["0c383e07e16c", "X6", "base"], now: 1e12).name == "device/X6.xml.mustache")
        #expect(try r.render(.device(testMAC), device: testDevice(), group: nil).body == "model X6")
        #expect(try r.render(.device(testMAC), device: testDevice(model: "X4"), group: nil).template == "device/base.xml.mustache")
        try write("mac {{mac_colon}}", to: folder, "fanvil/device/0c383e07e16c.xml.mustache")
        _ = r.library.generation(now: 2e12)
        #expect(try r.render(.device(testMAC), device: testDevice(), group: nil).body == "mac 0c:38:3e:07:e1:6c")
    }

    @Test func anEditedTemplateIsPickedUpAndBumpsTheGeneration() throws {
        let folder = temporaryFolder()
        try write("one", to: folder, "fanvil/device/base.xml.mustache")
        let r = try renderer(override: folder)
        let before = r.library.generation(now: 1e12)
        #expect(try r.render(.device(testMAC), device: testDevice(), group: nil).body == "one")
        try write("two, longer", to: folder, "fanvil/device/base.xml.mustache")
        #expect(r.library.generation(now: 1e12 + 0.5) == before, "re-checked at most once per second")
        #expect(r.library.generation(now: 1e12 + 2) == before + 1)
        #expect(try r.render(.device(testMAC), device: testDevice(), group: nil).body == "two, longer")
    }

    @Test func aMissingVariableIsAnErrorNamingTemplateVariableAndDevice() throws {
        let folder = temporaryFolder()
        try write("{{#lines}}{{registrar}}{{/lines}} {{sntp}} {{#optional}}{{x}}{{/optional}}{{^optional}}none{{/optional}}", to: folder, "fanvil/device/base.xml.mustache")
        var device = testDevice()
        device.lines[0].registrar = ""
        do {
            _ = try renderer(override: folder).render(.device(testMAC), device: device, group: nil)
            Issue.record("rendered with missing variables")
        } catch let error as RenderError {
            #expect(error == .missingVariable(template: "device/base.xml.mustache", variables: ["registrar", "sntp"], device: "0c383e07e16c"))
            #expect(error.description.contains("registrar, sntp") && error.description.contains("0c383e07e16c"))
        }
        let group = DeviceGroup(name: "default", variables: ["registrar": "pbx-from-group", "sntp": "n"])
        #expect(try renderer(override: folder).render(.device(testMAC), device: device, group: group).body == "pbx-from-group n none")
    }

    @Test func firmwareCheckFilesNeedAFirmwareURL() throws {
        let file = PhoneFile.firmware(model: "x6", name: "fanvil_x6_hwv1_0.txt")
        #expect(throws: RenderError.noFirmware(model: "x6", device: "0c383e07e16c")) {
            try renderer().render(file, device: testDevice(), group: nil)
        }
        let body = try renderer(globals: ["firmware_url": "http://192.0.2.1/x6.z", "firmware_version": "2.1"])
            .render(file, device: testDevice(), group: nil).body
        #expect(body.hasPrefix("Version=2.1") && body.contains("Firmware=http://192.0.2.1/x6.z"))
    }

    @Test func aModelFromAUserAgentNeverReachesOutsideTheTemplateFolders() throws {
        let r = try renderer()
        let found = try r.library.template(kind: "device", format: .xml, candidates: ["../../../etc/passwd", "/etc/passwd", "base"])
        #expect(found.name == "device/base.xml.mustache")
    }

    @Test func aSyntaxErrorNamesTheTemplate() throws {
        let folder = temporaryFolder()
        try write("{{#lines}} unclosed", to: folder, "fanvil/device/base.xml.mustache")
        #expect {
            try renderer(override: folder).render(.device(testMAC), device: testDevice(), group: nil)
        } throws: { error in
            (error as? RenderError).map { "\($0)".contains("device/base.xml.mustache") } ?? false
        }
    }
}
