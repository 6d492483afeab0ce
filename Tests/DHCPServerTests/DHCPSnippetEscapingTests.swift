import DHCPServer
import DHCPv4
import Testing

/// What each syntax does with characters it treats specially, and the
/// values it cannot carry.
@Suite struct DHCPSnippetEscapingTests {
    static let trickyHex = "687474703a2f2f612f2271225c622c632023642f246d6163"

    @Test func keaSendsTextItWouldSplitAsHexAndComparesAPrefix() throws {
        let out = try DHCPSnippetFormat.kea.render([SnippetLab.tricky], source: "x.yml")
        #expect(out.contains(#"        // 66: "http://a/"q"\b,c #d/$mac""#))
        #expect(out.contains(#"{ "name": "tftp-server-name", "code": 66, "csv-format": false, "data": "\#(Self.trickyHex)", "always-send": true }"#))
        #expect(out.contains(#""test": "substring(option[60].hex,0,11) == 'Fan.vil (X)'","#))
    }

    @Test func dnsmasqQuotesCommasHashesAndDollarsAndEscapesQuotes() throws {
        let out = try DHCPSnippetFormat.dnsmasq.render([SnippetLab.tricky], source: "x.yml")
        #expect(out.contains(#"dhcp-vendorclass=set:tricky,"Fan.vil (X)""#))
        #expect(out.contains(#"dhcp-option-force=tag:tricky,66,"http://a/\"q\"\\b,c #d/$mac""#))
    }

    @Test func iscEscapesStringsAndMatchesTheVendorClassAsALiteralRegex() throws {
        let out = try DHCPSnippetFormat.isc.render([SnippetLab.tricky], source: "x.yml")
        #expect(out.contains(#"    match if option vendor-class-identifier ~~ "Fan\\.vil \\(X\\)";"#))
        #expect(out.contains(#"    option tftp-server-name "http://a/\"q\"\\b,c #d/$mac";"#))
    }

    @Test func binaryTextOptionIsHexForKea() throws {
        let out = try DHCPSnippetFormat.kea.render([SnippetLab.binary], source: "x.yml")
        #expect(out.contains(#"{ "name": "tftp-server-name", "code": 66, "csv-format": false, "data": "0041ff", "always-send": true }"#))
        #expect(!out.contains("// 66:"))
    }

    @Test(arguments: [DHCPSnippetFormat.dnsmasq, .isc])
    func binaryTextOptionIsAnErrorNamingClassAndCode(format: DHCPSnippetFormat) {
        #expect {
            try format.render([SnippetLab.fanvil, SnippetLab.binary], source: "x.yml")
        } throws: { error in
            guard let error = error as? DHCPSnippetError else { return false }
            return error.format == format && error.className == "binary" && error.subject == "option 66"
                && error.description.hasPrefix("cannot export to \(format.rawValue): class \"binary\", option 66: ")
        }
    }

    @Test func dnsmasqRefusesANameThatIsNoTag() {
        let bad = ClientClass(name: "my phones", ouis: [0x0c383e], options: [.tftpServerName: Array("x".utf8)])
        #expect(throws: DHCPSnippetError(
            format: .dnsmasq, className: "my phones", subject: "name",
            reason: "a dnsmasq tag takes letters, digits, '_', '-' and '.' only; rename the class")) {
            try DHCPSnippetFormat.dnsmasq.render([bad], source: "x.yml")
        }
    }

    @Test func keaRefusesAQuoteInANameItMustReferTo() {
        let bad = ClientClass(name: "o'brien", ouis: [0x0c383e])
        #expect(throws: DHCPSnippetError.self) { try DHCPSnippetFormat.kea.render([bad], source: "x.yml") }
    }

    @Test func keaRefusesItsBuiltInClassNames() {
        for name in ["DROP", "KNOWN", "VENDOR_CLASS_Fanvil"] {
            #expect(throws: DHCPSnippetError.self) {
                try DHCPSnippetFormat.kea.render([ClientClass(name: name, ouis: [0x0c383e])], source: "x.yml")
            }
        }
    }

    @Test(arguments: DHCPSnippetFormat.allCases)
    func twoClassesOfOneNameOrAClassMatchingNothingAreErrors(format: DHCPSnippetFormat) {
        #expect(throws: DHCPSnippetError(format: format, className: "fanvil", subject: "name", reason: "two classes have this name")) {
            try format.render([SnippetLab.fanvil, SnippetLab.fanvil], source: "x.yml")
        }
        #expect(throws: DHCPSnippetError(format: format, className: "none", subject: "match", reason: "the class matches nothing")) {
            try format.render([ClientClass(name: "none")], source: "x.yml")
        }
    }

    @Test func dnsmasqNumbersAndAddressesFollowItsOptionTypes() throws {
        #expect(try DnsmasqValue.of(26, [0x05, 0xDC]) == "1500")
        #expect(try DnsmasqValue.of(42, [192, 0, 2, 1, 192, 0, 2, 2]) == "192.0.2.1,192.0.2.2")
        #expect(try DnsmasqValue.of(160, [0x0A]) == "10")
        #expect(try DnsmasqValue.of(43, [0x01, 0x02]) == "01:02")
        #expect(throws: DHCPSnippetError.self) { try DnsmasqValue.of(26, [0x05]) }
        #expect(throws: DHCPSnippetError.self) { try DnsmasqValue.of(42, [192, 0, 2]) }
        #expect(throws: DHCPSnippetError.self) { try DnsmasqValue.of(119, Array("lab.example".utf8)) }
    }

    @Test func commentsNeverCarryALineBreak() throws {
        let c = ClientClass(name: "x\ny", vendorClassSubstrings: ["a\nb"], options: [OptionCode(160): Array("p\nq".utf8)])
        let out = try DHCPSnippetFormat.kea.render([c], source: "/tmp/a\nb.yml")
        #expect(out.contains("// autoprov export-dhcp --format kea: the client classes of /tmp/a?b.yml."))
        #expect(out.contains(#"    // x?y: option 60 containing "a?b""#))
        #expect(out.contains(#""name": "x\ny","#))
    }
}

/// dnsmasq's value forms, through a one-option class.
enum DnsmasqValue {
    static func of(_ code: UInt8, _ bytes: [UInt8]) throws -> String {
        let c = ClientClass(name: "c", ouis: [0x0c383e], options: [OptionCode(code): bytes], alwaysSend: false)
        let out = try DHCPSnippetFormat.dnsmasq.render([c], source: "x.yml")
        let line = out.split(separator: "\n").first { $0.hasPrefix("dhcp-option=") }!
        return String(line.dropFirst("dhcp-option=tag:c,\(code),".count))
    }
}
