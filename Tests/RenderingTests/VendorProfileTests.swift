import DHCPv4
import Rendering
import Testing

@Suite struct VendorProfileTests {
    let profile = try! VendorProfile(path: shippedTemplates + "/fanvil/profile.yml")

    @Test func theShippedProfileHasTheFanvilOUIsAndTheModelTable() {
        #expect(profile.ouis.contains(MACAddress("0c:38:3e:00:00:00")!.oui))
        #expect(profile.ouis.contains(MACAddress("00:a8:59:00:00:00")!.oui))
        #expect(profile.model(forCommonFile: "F0V00X600000.cfg") == "X6")
        #expect(profile.model(forCommonFile: "f0X4hw1.100.cfg") == "X4")
        #expect(profile.model(forCommonFile: "f0C00580000.cfg") == "C58")
        #expect(profile.model(forCommonFile: "f0v00x600000.cfg") == nil, "common file names are case-sensitive")
    }

    @Test(arguments: [
        ("Fanvil X4 2.10.2.6887 0c383e07e16c", "X4", "2.10.2.6887", "0c383e07e16c"),
        ("Fanvil X6U Pro 0.0.10 0c383e2cd782", "X6U Pro", "0.0.10", "0c383e2cd782"),
        ("Fanvil W620W 2.16.10 0C383E7DD216", "W620W", "2.16.10", "0c383e7dd216"),
    ])
    func userAgentsParseFromTheRight(text: String, model: String, firmware: String, mac: String) throws {
        let agent = try #require(UserAgent(text, profile: profile))
        #expect(agent.model == model && agent.firmware == firmware && agent.mac == MACAddress(mac))
    }

    @Test(arguments: ["curl/8.0", "Fanvil X4 0c383e07e16c", "Fanvil X4 2.1 0c383e07e16", "Yealink T46 1.0 0c383e07e16c", ""])
    func otherUserAgentsAreNotFanvil(text: String) {
        #expect(UserAgent(text, profile: profile) == nil)
    }

    @Test(arguments: [
        ("0c383e07e16c.cfg", PhoneFile.Recognition.file(.device(MACAddress("0c383e07e16c")!))),
        ("000000000000.cfg", .zeroMAC),
        ("0C383E07E16C.cfg", .unknown),
        ("0c383e07e16c.xml", .unknown),
        ("0c383e07e16.cfg", .unknown),
        ("F0V00X600000.cfg", .file(.common(model: "X6", name: "F0V00X600000.cfg"))),
        ("fanvil_x4_hwv1_0.txt", .file(.firmware(model: "x4", name: "fanvil_x4_hwv1_0.txt"))),
        ("fanvil_v62_pro_hwv1_0.txt", .file(.firmware(model: "v62_pro", name: "fanvil_v62_pro_hwv1_0.txt"))),
        ("passwd", .unknown),
    ])
    func fileNamesAreRecognised(name: String, expected: PhoneFile.Recognition) {
        #expect(PhoneFile.recognise(name, profile: profile) == expected)
    }

    @Test func aBrokenProfileNamesTheKey() {
        #expect(throws: RenderError.self) {
            try VendorProfile(yaml: "vendor: x\nouis: [zz]\nuser_agent: a\nmodels: {}\nfirmware_check_file: b\n", path: "p.yml")
        }
        do {
            _ = try VendorProfile(yaml: "vendor: x\nouis: []\nuser_agent: '('\nmodels: {}\nfirmware_check_file: b\n", path: "p.yml")
            Issue.record("a user_agent that is not a valid pattern was accepted")
        } catch {
            #expect(error.description.contains("user_agent"))
        }
    }
}
