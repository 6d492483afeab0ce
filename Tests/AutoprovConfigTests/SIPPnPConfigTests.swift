import AutoprovConfig
import DHCPv4
import Testing

/// The `sip_pnp` section: defaults, the URL taken from the classes, and
/// errors naming the key.
@Suite struct SIPPnPConfigTests {
    static let base = """
        dhcp:
          enabled: false
          classes:
            - name: other
              match: {vendor_class: ["Other"]}
            - name: fanvil
              match: {oui: ["0c:38:3e"], mac: ["00:11:22:33:44:55"]}
              options: {66: "http://192.0.2.1:8080/$mac.cfg"}
        """

    @Test func offByDefault() throws {
        let settings = try ConfigLoader.parse(Self.base)
        #expect(!settings.sipPnP.enabled)
        #expect(settings.sipPnP.port == 5060)
        #expect(settings.sipPnP.group == IPv4Address(224, 0, 1, 75))
    }

    @Test func theURLDefaultsToTheFirstClassOption66AndClassesGiveTheMACs() throws {
        let settings = try ConfigLoader.parse(Self.base + "\nsip_pnp:\n  enabled: true\n  interfaces: [ap0]\n")
        #expect(settings.sipPnP.url == "http://192.0.2.1:8080/$mac.cfg")
        #expect(settings.sipPnP.matchesClass(MACAddress("0c:38:3e:07:e1:6c")!))
        #expect(settings.sipPnP.matchesClass(MACAddress("00:11:22:33:44:55")!))
        #expect(!settings.sipPnP.matchesClass(MACAddress("00:11:22:33:44:56")!))
    }

    @Test func anExplicitURLWins() throws {
        let settings = try ConfigLoader.parse(
            Self.base + "\nsip_pnp:\n  enabled: true\n  interfaces: [ap0, ap1]\n  port: 5070\n  url: http://prov.example/p/$mac.cfg\n")
        #expect(settings.sipPnP.url == "http://prov.example/p/$mac.cfg")
        #expect(settings.sipPnP.interfaces == ["ap0", "ap1"])
        #expect(settings.sipPnP.port == 5070)
    }

    @Test(arguments: [
        ("  enabled: true\n", "sip_pnp.interfaces"),
        ("  enabled: true\n  interfaces: [ap0]\n  group: 192.0.2.1\n", "sip_pnp.group"),
        ("  enabled: true\n  interfaces: [ap0]\n  port: 70000\n", "sip_pnp.port"),
        ("  enabled: true\n  interfaces: [ap0]\n  url: not a url\n", "sip_pnp.url"),
        ("  enabled: true\n  interfaces: [ap0, ap0]\n", "sip_pnp.interfaces"),
        ("  enabeld: true\n", "sip_pnp.enabeld"),
    ])
    func badValuesNameTheirKey(yaml: String, key: String) throws {
        do {
            _ = try ConfigLoader.parse(Self.base + "\nsip_pnp:\n" + yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.issues.contains { $0.key == key }, "\(error)")
        }
    }

    @Test func noURLAnywhereIsAnError() throws {
        do {
            _ = try ConfigLoader.parse("dhcp:\n  enabled: false\nsip_pnp:\n  enabled: true\n  interfaces: [ap0]\n")
            Issue.record("accepted without a URL")
        } catch {
            #expect(error.issues.map(\.key) == ["sip_pnp.url"])
        }
    }

    @Test func checkConfigExplainsIt() throws {
        let settings = try ConfigLoader.parse(Self.base + "\nsip_pnp:\n  enabled: true\n  interfaces: [ap0]\n")
        let text = settings.explanation(addresses: [:]).joined(separator: "\n")
        #expect(text.contains("SIP PnP: listening on UDP port 5060 on ap0, joined to 224.0.1.75"))
        #expect(text.contains("http://192.0.2.1:8080/$mac.cfg"))
    }
}
