import AutoprovConfig
import ConfigServer
import DHCPServer
import DHCPv4
import Foundation
import Testing

@Suite struct ConfigLoaderTests {
    static let minimal = """
        dhcp:
          interfaces: [ap0]
          subnets:
            - subnet: 192.0.2.0/24
              pools: [192.0.2.100-192.0.2.199]
        """

    @Test func theShippedExampleIsValidAndComplete() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let settings = try ConfigLoader.load(path: root.appendingPathComponent("autoprov.example.yml").path, environment: [:])
        #expect(settings.dhcp.interfaces == ["ap0"])
        #expect(settings.dhcp.subnets.first?.name == "192.0.2.0/24")
        #expect(settings.dhcp.subnets.first?.poolSize == 100)
        let fanvil = try #require(settings.dhcp.classes.first)
        #expect(fanvil.name == "fanvil")
        #expect(fanvil.ouis == [0x0c383e, 0x00a859])
        #expect(fanvil.options[.tftpServerName] == Array("http://192.0.2.1:8080/$mac.cfg".utf8))
        #expect(fanvil.alwaysSend)
        #expect(settings.dhcp.reservations.first?.ip == IPv4Address("192.0.2.10"))
    }

    @Test func listenerLimitsHaveDefaultsAndTakeWhatIsWritten() throws {
        let defaults = try ConfigLoader.parse(Self.minimal)
        #expect(defaults.configServer.limits == ConnectionLimits(maxConnections: 1024, maxConnectionsPerAddress: 32, requestDeadline: 10))
        #expect(defaults.admin.limits == ConnectionLimits(maxConnections: 64, maxConnectionsPerAddress: 16, requestDeadline: 30))
        let set = try ConfigLoader.parse(Self.minimal + """

            config_server:
              limits: {max_connections: 200, max_connections_per_address: 4, request_deadline: 2.5}
            admin:
              limits: {request_deadline: 5}
            """)
        #expect(set.configServer.limits == ConnectionLimits(maxConnections: 200, maxConnectionsPerAddress: 4, requestDeadline: 2.5))
        #expect(set.admin.limits == ConnectionLimits(maxConnections: 64, maxConnectionsPerAddress: 16, requestDeadline: 5))
        #expect(set.explanation(addresses: [:]).contains { $0.contains("At most 200 connections") && $0.contains("4 from one address") })
    }

    @Test func defaultsFillWhatIsNotWritten() throws {
        let settings = try ConfigLoader.parse(Self.minimal)
        #expect(settings.storePath == "./var/autoprov.sqlite")
        #expect(settings.synchronous == .full)
        #expect(settings.dhcp.port == 67)
        #expect(settings.dhcp.unknownClients == .serve)
        #expect(settings.dhcp.offerHold == 30)
        #expect(settings.dhcp.subnets[0].leaseTime == 3600)
    }

    @Test func environmentOverridesTheFile() throws {
        let settings = try ConfigLoader.parse(Self.minimal, environment: [
            "AUTOPROV_STORE_PATH": "/tmp/x.sqlite", "AUTOPROV_LOG_LEVEL": "debug", "AUTOPROV_DHCP_INTERFACES": "a0, b0",
        ])
        #expect(settings.storePath == "/tmp/x.sqlite")
        #expect(settings.logLevel == .debug)
        #expect(settings.dhcp.interfaces == ["a0", "b0"])
    }

    /// Each bad config names the key and what was expected.
    @Test(arguments: [
        ("dhcp:\n  interfacez: [ap0]\n", "dhcp.interfacez", "unknown key \"interfacez\"; expected one of"),
        (minimal.replacingOccurrences(of: "192.0.2.100-192.0.2.199", with: "192.0.2.300-192.0.2.10"),
         "dhcp.subnets[0].pools[0]", "first-last"),
        (minimal.replacingOccurrences(of: "192.0.2.100-192.0.2.199", with: "198.51.100.1-198.51.100.9"),
         "dhcp.subnets[0].pools[0]", "not inside"),
        (minimal.replacingOccurrences(of: "192.0.2.0/24", with: "192.0.2.0/33"), "dhcp.subnets[0].subnet", "192.0.2.0/24"),
        (minimal.replacingOccurrences(of: "192.0.2.0/24", with: "192.0.2.7/24"), "dhcp.subnets[0].subnet", "host bits"),
        (minimal + "\n  unknown_clients: maybe", "dhcp.unknown_clients", "serve or ignore"),
        (minimal + "\n  port: lots", "dhcp.port", "whole number"),
        (minimal + "\n  classes:\n    - name: f\n      match: {oui: [\"zz:38:3e\"]}", "dhcp.classes[0].match.oui[0]", "OUI"),
        (minimal + "\n  classes:\n    - name: f\n      match: {oui: [\"0c:38:3e\"]}\n      options: {53: \"x\"}",
         "dhcp.classes[0].options.53", "set by the server"),
        (minimal + "\n  classes:\n    - name: f\n      match: {ouii: [\"0c:38:3e\"]}", "dhcp.classes[0].match.ouii", "unknown key"),
        (minimal + "\n  reservations:\n    - {mac: 0c:38:3e:00:00:01, ip: 203.0.113.9}", "dhcp.reservations[0].ip", "no configured subnet"),
        (minimal + "\n  classes:\n    - name: f\n      match: {oui: [\"0c:38:3e\"]}\n      options: {3: \"not-an-ip\"}",
         "dhcp.classes[0].options.3", "IPv4"),
        ("store:\n  synchronous: sometimes\n" + minimal, "store.synchronous", "full or normal"),
        ("dhcp:\n  subnets: []\n", "dhcp.interfaces", "at least one"),
        (minimal + "\nconfig_server:\n  authorize: anyone\n", "config_server.authorize", "leased_ip"),
        (minimal + "\nconfig_server:\n  listen: \"8080\"\n", "config_server.listen", "host:port"),
        (minimal + "\nconfig_server:\n  path_prefix: prov\n", "config_server.path_prefix", "starting and ending with /"),
        (minimal + "\nconfig_server:\n  https: {listen: 0.0.0.0:8443, certificate: /nonexistent.pem, key: /nonexistent.key}\n",
         "config_server.https.certificate", "readable PEM"),
        (minimal + "\nconfig_server:\n  listn: 0.0.0.0:1\n", "config_server.listn", "unknown key"),
        (minimal + "\ninventory:\n  unknown_devices: 403\n", "inventory.unknown_devices", "404 or autocreate"),
        (minimal + "\ninventory:\n  variables: {NTP: x}\n", "inventory.variables.NTP", "variable name"),
        (minimal + "\ninventory:\n  model_variables: {X4: {mac: x}}\n", "inventory.model_variables.X4.mac", "set by autoprov"),
        (minimal + "\ninventory:\n  templates: /nonexistent/folder\n", "inventory.templates", "expected a folder"),
        (minimal + "\nadmin:\n  listen: localhost\n", "admin.listen", "host:port"),
        (minimal + "\npost_provision:\n  api_scheme: ftp\n", "post_provision.api_scheme", "http or https"),
        (minimal + "\npost_provision:\n  api_port: 0\n", "post_provision.api_port", "1-65535"),
        (minimal + "\npost_provision:\n  concurrency: 0\n", "post_provision.concurrency", "1-4096"),
        (minimal + "\npost_provision:\n  deadline: 0\n", "post_provision.deadline", "seconds"),
        (minimal + "\npost_provision:\n  failure_codes: [200]\n", "post_provision.failure_codes", "also a success code"),
        (minimal + "\npost_provision:\n  events_url: \"ftp://x/\"\n", "post_provision.events_url", "http://"),
        (minimal + "\npost_provision:\n  deadlin: 3\n", "post_provision.deadlin", "unknown key"),
        (minimal + "\ninventory:\n  variables: {events_url: x}\n", "inventory.variables.events_url", "set by autoprov"),
        (minimal + "\nconfig_server:\n  digest: {nonce_lifetime: 1}\n", "config_server.digest.nonce_lifetime", "seconds in"),
        (minimal + "\nconfig_server:\n  digest: {max_failures: 0}\n", "config_server.digest.max_failures", "got 0"),
        (minimal + "\nconfig_server:\n  digest: {failure_window: -1}\n", "config_server.digest.failure_window", "seconds in"),
        (minimal + "\nconfig_server:\n  digest: {cooldown: 0}\n", "config_server.digest.cooldown", "seconds in"),
        (minimal + "\nconfig_server:\n  digest: {cooldwn: 3}\n", "config_server.digest.cooldwn", "unknown key"),
        (minimal + "\nconfig_server:\n  limits: {max_connections: 0}\n", "config_server.limits.max_connections", "from 1 to 1000000"),
        (minimal + "\nconfig_server:\n  limits: {max_connections: 10, max_connections_per_address: 20}\n",
         "config_server.limits.max_connections_per_address", "at most max_connections (10)"),
        (minimal + "\nconfig_server:\n  limits: {request_deadline: 0}\n", "config_server.limits.request_deadline", "seconds from 0.1"),
        (minimal + "\nconfig_server:\n  limits: {max_conections: 5}\n", "config_server.limits.max_conections", "unknown key"),
        (minimal + "\nadmin:\n  limits: {max_connections_per_address: -1}\n", "admin.limits.max_connections_per_address", "from 1"),
        (minimal + "\nadmin:\n  limits: {request_deadline: 7200}\n", "admin.limits.request_deadline", "to 3600"),
        (minimal + "\ninventory:\n  variables: {ntp_server: \"ntp\\u2028web.account.1.Password = x\"}\n",
         "inventory.variables.ntp_server", "line or paragraph separator (U+2028)"),
        (minimal + "\ninventory:\n  model_variables: {X4: {timezone: \"4\\u0085x = y\"}}\n",
         "inventory.model_variables.X4.timezone", "control character (U+0085)"),
    ])
    func badConfigNamesTheKey(text: String, key: String, words: String) {
        #expect {
            _ = try ConfigLoader.parse(text)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let matched = error.issues.contains { $0.key == key && $0.message.contains(words) }
            if !matched { Issue.record("issues were: \(error.issues)") }
            return matched
        }
    }

    @Test func provisioningDefaultsAreSecure() throws {
        let settings = try ConfigLoader.parse(Self.minimal + "\nstore:\n  path: /var/lib/autoprov/a.sqlite\n")
        #expect(settings.configServer.authorization == .leasedIP)
        #expect(settings.configServer.unknownDevices == .notFound)
        #expect(settings.admin.listen.host == "127.0.0.1")
        #expect(settings.admin.tokenFile == "/var/lib/autoprov/admin.token")
        #expect(settings.render.shippedFolder.hasSuffix("Templates"))
        let d = settings.configServer.digest
        #expect(d.nonceLifetime == 300 && d.maxFailures == 10 && d.failureWindow == 60 && d.cooldown == 300)
        let digest = try ConfigLoader.parse(Self.minimal + """

            config_server:
              digest: {nonce_lifetime: 120, max_failures: 5, failure_window: 30, cooldown: 600}
            """)
        let e = digest.configServer.digest
        #expect(e.nonceLifetime == 120 && e.maxFailures == 5 && e.failureWindow == 30 && e.cooldown == 600)
        let autocreate = try ConfigLoader.parse(Self.minimal + "\ninventory:\n  unknown_devices: autocreate\n")
        #expect(autocreate.configServer.unknownDevices == .autocreate)
    }

    @Test func actionURLsFollowTheConfigServerAddressUnlessItIsAWildcard() throws {
        let wildcard = try ConfigLoader.parse(Self.minimal)
        #expect(wildcard.render.globalVariables["events_url"] == nil)
        #expect(wildcard.postProvision.enabled && wildcard.postProvision.port == 80 && wildcard.postProvision.successCodes == [200])
        let own = try ConfigLoader.parse(Self.minimal + "\nconfig_server:\n  listen: 192.0.2.1:8080\n  path_prefix: /prov/\n")
        #expect(own.render.globalVariables["events_url"] == "http://192.0.2.1:8080/prov/events")
        let given = try ConfigLoader.parse(Self.minimal + "\npost_provision:\n  events_url: http://prov.example/events\n")
        #expect(given.render.globalVariables["events_url"] == "http://prov.example/events")
        let off = try ConfigLoader.parse(Self.minimal + "\nconfig_server:\n  listen: 192.0.2.1:8080\npost_provision:\n  enabled: false\n")
        #expect(off.render.globalVariables["events_url"] == nil && !off.postProvision.enabled)
    }

    @Test func optionValuesAreTypedByCode() throws {
        let text = Self.minimal + """

              classes:
                - name: f
                  match: {oui: ["0c:38:3e"]}
                  options: {66: "tftp://x/$mac.cfg", 42: "192.0.2.1, 192.0.2.2", 224: "0x0102ff"}
            """
        let options = try #require(try ConfigLoader.parse(text).dhcp.classes.first?.options)
        #expect(options[.tftpServerName] == Array("tftp://x/$mac.cfg".utf8))
        #expect(options[.ntpServers] == [192, 0, 2, 1, 192, 0, 2, 2])
        #expect(options[OptionCode(224)] == [1, 2, 0xff])
    }

    @Test func explanationSaysWhatWillHappenInPlainWords() throws {
        let settings = try ConfigLoader.parse(Self.minimal)
        let ready = settings.explanation(addresses: ["ap0": [(IPv4Address("192.0.2.1")!, 24)]]).joined(separator: "\n")
        #expect(ready.contains("ap0: our address 192.0.2.1"))
        #expect(ready.contains("pool 192.0.2.100-192.0.2.199 (100 addresses)"))
        #expect(ready.contains("Client classes: none"))
        #expect(ready.contains("Config files: HTTP on 0.0.0.0:8080"))
        #expect(ready.contains("only from the address currently leased to that phone's MAC"))
        #expect(ready.contains("Admin API: JSON on 127.0.0.1:8081"))
        let dhcpOff = try ConfigLoader.parse("dhcp:\n  enabled: false\nconfig_server:\n  authorize: digest\n")
            .explanation(addresses: [:]).joined(separator: "\n")
        #expect(dhcpOff.contains("only with HTTP Digest credentials"), "the HTTP side is explained without DHCP too")
        let wrong = settings.explanation(addresses: ["ap0": [(IPv4Address("203.0.113.1")!, 24)]]).joined(separator: "\n")
        #expect(wrong.contains("NOT READY"))
        #expect(wrong.contains("refuse to start"))
    }
}
