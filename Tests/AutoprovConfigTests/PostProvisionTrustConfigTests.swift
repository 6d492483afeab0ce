import AutoprovConfig
import DHCPv4
import PostProvision
import Store
import Testing

/// `post_provision.basic_over_http_groups` and the Digest gate's switch,
/// which follows `config_server.authorize`.
@Suite struct PostProvisionTrustConfigTests {
    static let minimal = ConfigLoaderTests.minimal

    @Test func basicOverHTTPIsAllowedOnlyForTheGroupsListed() throws {
        let defaults = try ConfigLoader.parse(Self.minimal)
        #expect(defaults.postProvision.basicOverHTTPGroups.isEmpty)
        let device = Device(mac: MACAddress("0c:38:3e:00:00:01")!, group: "lab")
        #expect(!defaults.postProvision.credentials(for: device).basicOverHTTP)

        let listed = try ConfigLoader.parse(Self.minimal + "\npost_provision:\n  basic_over_http_groups: [lab, old-x3]\n")
        #expect(listed.postProvision.basicOverHTTPGroups == ["lab", "old-x3"])
        #expect(listed.postProvision.credentials(for: device).basicOverHTTP)
        var other = device
        other.group = "default"
        #expect(!listed.postProvision.credentials(for: other).basicOverHTTP)
    }

    @Test(arguments: [
        ("\npost_provision:\n  basic_over_http_groups: [\"bad name\"]\n", "post_provision.basic_over_http_groups[0]"),
        ("\npost_provision:\n  basic_over_http_groups: [lab, \"\"]\n", "post_provision.basic_over_http_groups[1]"),
    ])
    func badGroupNamesAreNamed(text: String, key: String) {
        #expect {
            _ = try ConfigLoader.parse(Self.minimal + text)
        } throws: { error in
            (error as? ConfigError)?.issues.contains { $0.key == key && $0.message.contains("group name") } == true
        }
    }

    @Test(arguments: [
        ("leased_ip", false), ("leased_ip_or_digest", false), ("digest", true), ("leased_ip_and_digest", true),
    ])
    func theDigestGateFollowsTheConfigServersPolicy(policy: String, gated: Bool) throws {
        let settings = try ConfigLoader.parse(Self.minimal + "\nconfig_server:\n  authorize: \(policy)\n")
        #expect(settings.postProvision.requireDigestFetch == gated)
        let explained = settings.explanation(addresses: [:]).joined(separator: "\n")
        #expect(explained.contains("sent nothing until it fetched its own file with Digest") == gated)
        #expect(explained.contains("HTTP Basic is never answered over plain http"))
    }
}
