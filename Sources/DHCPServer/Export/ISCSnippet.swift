/// ISC dhcpd 4.x: `class` declarations for dhcpd.conf.
///
/// Matching: `substring(hardware, 1, 3) = 0c:38:3e` per OUI (`hardware` is
/// the hardware type then the MAC), `substring(hardware, 1, 6) = …` per MAC,
/// and `option vendor-class-identifier ~~ "…"` per vendor class: a
/// case-insensitive regular-expression match, so with the text escaped it
/// is exactly autoprov's "contains, in any case". Each class also requires
/// that no earlier class matched (`and not (…)`): the first match wins.
///
/// `always_send`: dhcpd sends only the options the client lists in option
/// 55; the class appends its codes to that list (`option
/// dhcp-parameter-request-list = concat(…)`, dhcp-options(5)), so they are
/// sent anyway. Options dhcpd does not name here are declared as
/// `autoprov-option-N` (string: hex octets or quoted text, byte for byte).
enum ISCSnippet: DHCPSnippet {
    /// dhcpd's names for common codes, and whether the type is text ("t").
    static let names: [UInt8: (name: String, text: Bool)] = [
        12: ("host-name", true), 15: ("domain-name", true), 17: ("root-path", true), 18: ("extensions-path", true),
        40: ("nis-domain", true), 64: ("nisplus-domain", true), 66: ("tftp-server-name", true),
        67: ("bootfile-name", true), 43: ("vendor-encapsulated-options", false),
    ]
    /// dhcpd's names for address-list codes.
    static let addressNames: [UInt8: String] = [
        3: "routers", 6: "domain-name-servers", 42: "ntp-servers", 44: "netbios-name-servers",
    ]

    static func render(_ classes: [ClientClass], source: String) throws(DHCPSnippetError) -> String {
        var lines = [
            "# autoprov export-dhcp --format isc: the client classes of \(SnippetText.commentSafe(source)).",
            "# Add this to dhcpd.conf at the top level (outside any subnet). A client",
            "# gets the options of the first class it matches: each class excludes the",
            "# earlier ones. dhcpd sends only the options a client asks for (option 55);",
            "# a class that must send its options anyway (always_send) appends their",
            "# codes to the client's list.",
        ]
        let declared = Set(classes.flatMap { $0.options.keys.map(\.rawValue) })
            .filter { names[$0] == nil && addressNames[$0] == nil }.sorted()
        if !declared.isEmpty {
            lines.append("")
            lines += declared.map { "option autoprov-option-\($0) code \($0) = string;" }
        }
        var earlier: [String] = []
        for c in classes {
            let criteria = try criteria(c)
            lines += ["", "# class \(SnippetText.commentSafe(c.name)): \(SnippetText.summary(c))"]
            lines.append("class \(quoted(Array(c.name.utf8))) {")
            if earlier.isEmpty {
                lines.append("    match if \(criteria);")
            } else {
                lines.append("    match if (\(criteria))")
                lines += earlier.map { "        and not (\($0))" }
                lines[lines.count - 1] += ";"
            }
            for option in SnippetText.options(c) {
                lines.append("    " + (try statement(option.code, option.bytes, className: c.name)))
            }
            if c.alwaysSend, !c.options.isEmpty {
                let codes = SnippetText.options(c).map { "encode-int(\($0.code), 8)" }.joined(separator: ", ")
                lines += [
                    "    if exists dhcp-parameter-request-list {",
                    "        option dhcp-parameter-request-list = concat(option dhcp-parameter-request-list, \(codes));",
                    "    }",
                ]
            }
            lines.append("}")
            earlier.append(criteria)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The class's criteria as one boolean expression (terms OR'ed).
    static func criteria(_ c: ClientClass) throws(DHCPSnippetError) -> String {
        var terms = c.ouis.sorted().map {
            "substring(hardware, 1, 3) = " + SnippetText.hex(SnippetText.bytes(oui: $0), separator: ":")
        }
        for text in c.vendorClassAsWritten {
            guard SnippetText.isPrintableASCII(text.utf8) else {
                throw DHCPSnippetError(
                    format: .isc, className: c.name, subject: "vendor_class \"\(SnippetText.commentSafe(text))\"",
                    reason: "the snippet quotes printable ASCII only")
            }
            terms.append("option vendor-class-identifier ~~ \(quoted(Array(regexLiteral(text).utf8)))")
        }
        terms += c.macs.sorted().map { "substring(hardware, 1, 6) = " + SnippetText.hex($0.bytes, separator: ":") }
        return terms.joined(separator: " or ")
    }

    /// The `option …;` statement carrying exactly `bytes`.
    static func statement(_ code: UInt8, _ bytes: [UInt8], className: String) throws(DHCPSnippetError) -> String {
        if let name = addressNames[code] {
            guard let addresses = SnippetText.addresses(bytes) else {
                throw DHCPSnippetError(
                    format: .isc, className: className, subject: "option \(code)",
                    reason: "dhcpd takes IPv4 addresses for \(name), and \(bytes.count) bytes are not a whole number of addresses")
            }
            return "option \(name) \(addresses.joined(separator: ", "));"
        }
        if let (name, text) = names[code] {
            if text {
                guard SnippetText.isPrintableASCII(bytes) else {
                    throw DHCPSnippetError(
                        format: .isc, className: className, subject: "option \(code)",
                        reason: "dhcpd's \(name) is NVT ASCII text, and the value has other bytes")
                }
                return "option \(name) \(quoted(bytes));"
            }
            return "option \(name) \(SnippetText.hex(bytes, separator: ":"));"
        }
        // A string option: quoted when printable, else hex octets.
        let value = SnippetText.isPrintableASCII(bytes) ? quoted(bytes) : SnippetText.hex(bytes, separator: ":")
        return "option autoprov-option-\(code) \(value);"
    }

    /// A dhcpd.conf string literal of printable ASCII: `"` and `\` escaped.
    static func quoted(_ bytes: [UInt8]) -> String {
        var out = "\""
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default: out += "\\" + String(b, radix: 8).leftPadded(to: 3)
            }
        }
        return out + "\""
    }

    /// `text` as an extended regular expression matching it literally.
    static func regexLiteral(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\^$.|?*+()[]{}".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
