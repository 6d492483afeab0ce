import DHCPServer
import Testing

/// The exact snippets for two classes: fanvil (two OUIs, a vendor class,
/// one MAC; options 66 and 43, always sent) and lab-phones (one OUI, two
/// MACs; option 66 and an NTP address, only when asked for).
@Suite struct DHCPSnippetOutputTests {
    @Test func kea() throws {
        #expect(try DHCPSnippetFormat.kea.render(SnippetLab.classes, source: SnippetLab.source) == Self.kea + "\n")
    }

    @Test func dnsmasq() throws {
        #expect(try DHCPSnippetFormat.dnsmasq.render(SnippetLab.classes, source: SnippetLab.source) == Self.dnsmasq + "\n")
    }

    @Test func isc() throws {
        #expect(try DHCPSnippetFormat.isc.render(SnippetLab.classes, source: SnippetLab.source) == Self.isc + "\n")
    }

    @Test func withoutAlwaysSend() throws {
        var fanvil = SnippetLab.fanvil
        fanvil.alwaysSend = false
        let kea = try DHCPSnippetFormat.kea.render([fanvil], source: SnippetLab.source)
        #expect(!kea.contains("always-send"))
        #expect(kea.contains(#"{ "name": "tftp-server-name", "code": 66, "data": "http://192.0.2.1:8080/$mac.cfg" }"#))
        let dnsmasq = try DHCPSnippetFormat.dnsmasq.render([fanvil], source: SnippetLab.source)
        #expect(!dnsmasq.contains("dhcp-option-force"))
        #expect(dnsmasq.contains(#"dhcp-option=tag:fanvil,66,"http://192.0.2.1:8080/$mac.cfg""#))
        let isc = try DHCPSnippetFormat.isc.render([fanvil], source: SnippetLab.source)
        #expect(!isc.contains("dhcp-parameter-request-list ="))
    }

    static let kea = #"""
        // autoprov export-dhcp --format kea: the client classes of /etc/autoprov/autoprov.yml.
        // Paste the "client-classes" entry below into the "Dhcp4" map of your Kea
        // configuration (kea-dhcp4.conf), next to "subnet4", with a comma after it
        // if more entries follow. If you have "client-classes" already, add these
        // classes to your list, in this order. A client gets the options of the
        // first class it matches: each class tests that no earlier one matched.
        // Limit: Kea 2.2 expressions have no substring search and no case folding:
        // a vendor class (option 60) criterion matches when option 60 STARTS with
        // the text, exactly as written (autoprov: contains it, in any case).
        "client-classes": [
            {
                // fanvil: MAC OUI 00:a8:59 or 0c:38:3e; option 60 containing "Fanvil"; MAC 02:00:00:00:00:10
                "name": "fanvil",
                "test": "substring(pkt4.mac,0,3) == 0x00a859 or substring(pkt4.mac,0,3) == 0x0c383e or substring(option[60].hex,0,6) == 'Fanvil' or pkt4.mac == 0x020000000010",
                // Option 43 as raw bytes, not Kea's encapsulated sub-options.
                "option-def": [ { "name": "vendor-encapsulated-options", "code": 43, "type": "binary" } ],
                "option-data": [
                    // 43: "http://192.0.2.1:8080/$mac.cfg"
                    { "name": "vendor-encapsulated-options", "code": 43, "csv-format": false, "data": "687474703a2f2f3139322e302e322e313a383038302f246d61632e636667", "always-send": true },
                    { "name": "tftp-server-name", "code": 66, "data": "http://192.0.2.1:8080/$mac.cfg", "always-send": true }
                ]
            },
            {
                // lab-phones: MAC OUI 00:15:65; MAC 02:00:00:00:00:20 or 02:00:00:00:00:21
                "name": "lab-phones",
                "test": "(substring(pkt4.mac,0,3) == 0x001565 or pkt4.mac == 0x020000000020 or pkt4.mac == 0x020000000021) and not member('fanvil')",
                "option-data": [
                    { "name": "ntp-servers", "code": 42, "csv-format": false, "data": "c0000201" },
                    { "name": "tftp-server-name", "code": 66, "data": "tftp://192.0.2.5" }
                ]
            }
        ]
        """#

    static let dnsmasq = #"""
        # autoprov export-dhcp --format dnsmasq: the client classes of /etc/autoprov/autoprov.yml.
        # Add these lines to dnsmasq.conf (or a file in /etc/dnsmasq.d/), next to
        # your dhcp-range. Each class is a tag; its options also require that no
        # earlier class matched, so a client gets the first matching class's options.
        # Limit: dnsmasq compares option 60 case-sensitively: a vendor class
        # criterion matches when option 60 contains the text exactly as written
        # (autoprov: in any case).
        # dnsmasq itself ends options 66 and 67 with a NUL byte; phones read up to it.

        # class fanvil: MAC OUI 00:a8:59 or 0c:38:3e; option 60 containing "Fanvil"; MAC 02:00:00:00:00:10
        dhcp-mac=set:fanvil,00:a8:59:*:*:*
        dhcp-mac=set:fanvil,0c:38:3e:*:*:*
        dhcp-vendorclass=set:fanvil,"Fanvil"
        dhcp-mac=set:fanvil,02:00:00:00:00:10
        dhcp-option-force=tag:fanvil,43,68:74:74:70:3a:2f:2f:31:39:32:2e:30:2e:32:2e:31:3a:38:30:38:30:2f:24:6d:61:63:2e:63:66:67
        dhcp-option-force=tag:fanvil,66,"http://192.0.2.1:8080/$mac.cfg"

        # class lab-phones: MAC OUI 00:15:65; MAC 02:00:00:00:00:20 or 02:00:00:00:00:21
        dhcp-mac=set:lab-phones,00:15:65:*:*:*
        dhcp-mac=set:lab-phones,02:00:00:00:00:20
        dhcp-mac=set:lab-phones,02:00:00:00:00:21
        dhcp-option=tag:lab-phones,tag:!fanvil,42,192.0.2.1
        dhcp-option=tag:lab-phones,tag:!fanvil,66,"tftp://192.0.2.5"
        """#

    static let isc = #"""
        # autoprov export-dhcp --format isc: the client classes of /etc/autoprov/autoprov.yml.
        # Add this to dhcpd.conf at the top level (outside any subnet). A client
        # gets the options of the first class it matches: each class excludes the
        # earlier ones. dhcpd sends only the options a client asks for (option 55);
        # a class that must send its options anyway (always_send) appends their
        # codes to the client's list.

        # class fanvil: MAC OUI 00:a8:59 or 0c:38:3e; option 60 containing "Fanvil"; MAC 02:00:00:00:00:10
        class "fanvil" {
            match if substring(hardware, 1, 3) = 00:a8:59 or substring(hardware, 1, 3) = 0c:38:3e or option vendor-class-identifier ~~ "Fanvil" or substring(hardware, 1, 6) = 02:00:00:00:00:10;
            option vendor-encapsulated-options 68:74:74:70:3a:2f:2f:31:39:32:2e:30:2e:32:2e:31:3a:38:30:38:30:2f:24:6d:61:63:2e:63:66:67;
            option tftp-server-name "http://192.0.2.1:8080/$mac.cfg";
            if exists dhcp-parameter-request-list {
                option dhcp-parameter-request-list = concat(option dhcp-parameter-request-list, encode-int(43, 8), encode-int(66, 8));
            }
        }

        # class lab-phones: MAC OUI 00:15:65; MAC 02:00:00:00:00:20 or 02:00:00:00:00:21
        class "lab-phones" {
            match if (substring(hardware, 1, 3) = 00:15:65 or substring(hardware, 1, 6) = 02:00:00:00:00:20 or substring(hardware, 1, 6) = 02:00:00:00:00:21)
                and not (substring(hardware, 1, 3) = 00:a8:59 or substring(hardware, 1, 3) = 0c:38:3e or option vendor-class-identifier ~~ "Fanvil" or substring(hardware, 1, 6) = 02:00:00:00:00:10);
            option ntp-servers 192.0.2.1;
            option tftp-server-name "tftp://192.0.2.5";
        }
        """#
}
