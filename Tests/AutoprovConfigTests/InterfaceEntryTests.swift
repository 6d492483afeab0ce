import AutoprovConfig
import DHCPServer
import Testing

/// `dhcp.interfaces`: a bare name, or `{name, transport, mode}`.
@Suite struct InterfaceEntryTests {
    static func config(_ interfaces: String, subnets: Bool = true) -> String {
        var text = "dhcp:\n  interfaces:\n" + interfaces
        if subnets { text += "\n  subnets:\n    - subnet: 192.0.2.0/24\n      pools: [192.0.2.100-192.0.2.199]\n" }
        return text
    }

    @Test func namesTransportsAndModesAreSortedOut() throws {
        let settings = try ConfigLoader.parse(Self.config("""
                - ap0
                - {name: ap1, transport: raw}
                - {name: office0, mode: observe}
                - {name: ap2, transport: udp, mode: serve}
            """))
        #expect(settings.dhcp.interfaces == ["ap0", "ap1", "ap2"])
        #expect(settings.dhcp.rawInterfaces == ["ap1"])
        #expect(settings.observeInterfaces == ["office0"])
    }

    @Test func observeOnlyNeedsNoSubnet() throws {
        let settings = try ConfigLoader.parse(Self.config("    - {name: office0, mode: observe}", subnets: false))
        #expect(settings.dhcp.interfaces.isEmpty)
        #expect(settings.observeInterfaces == ["office0"])
    }

    @Test(arguments: [
        ("    - {name: ap0, transport: pcap}", "dhcp.interfaces[0].transport", "udp or raw"),
        ("    - {name: ap0, mode: sniff}", "dhcp.interfaces[0].mode", "serve or observe"),
        ("    - {name: ap0, mode: observe, transport: raw}", "dhcp.interfaces[0].transport", "never sends"),
        ("    - {name: ap0, moda: observe}", "dhcp.interfaces[0].moda", "unknown key"),
        ("    - ap0\n    - {name: ap0, mode: observe}", "dhcp.interfaces[1]", "listed twice"),
        ("    - {name: a-very-long-interface-name}", "dhcp.interfaces[0]", "1-15 characters"),
        ("    - \"\"", "dhcp.interfaces[0]", "1-15 characters"),
    ])
    func badEntriesNameTheKey(text: String, key: String, words: String) {
        #expect {
            _ = try ConfigLoader.parse(Self.config(text))
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let matched = error.issues.contains { $0.key == key && $0.message.contains(words) }
            if !matched { Issue.record("issues were: \(error.issues)") }
            return matched
        }
    }

    @Test func servingStillNeedsASubnet() {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(Self.config("    - ap0", subnets: false)) }
    }
}
