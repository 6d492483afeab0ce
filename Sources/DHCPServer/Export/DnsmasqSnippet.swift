/// dnsmasq: lines for dnsmasq.conf. A class is a tag, set by `dhcp-mac`
/// (OUI as `0c:38:3e:*:*:*`, exact MACs as they are) and `dhcp-vendorclass`
/// (a substring match on option 60, case-sensitive: said in the output).
/// Exact MACs use `dhcp-mac` rather than `dhcp-host`, so they never clash
/// with the admin's own host entries. An option line also requires that no
/// earlier class's tag is set (`tag:!fanvil`): the first match wins.
/// `always_send` is `dhcp-option-force` (sent even when not asked for).
///
/// Values follow dnsmasq's own option types (its opttab): addresses for
/// address-list codes, a quoted string for name codes, a decimal for
/// fixed-size numbers, hex octets (`68:74`) for the rest; anything else is
/// an error rather than a guess.
enum DnsmasqSnippet: DHCPSnippet {
    /// Codes dnsmasq types as a list of IPv4 addresses.
    static let addressCodes: Set<UInt8> = [1, 3, 6, 7, 9, 16, 21, 32, 33, 41, 42, 44, 45, 48, 49, 65, 68, 69, 70, 71, 74, 92, 150]
    /// Codes dnsmasq types as a name: the value is text, never hex.
    static let nameCodes: Set<UInt8> = [15, 17, 18, 40, 60, 64, 66, 67, 100, 101]
    /// Codes dnsmasq types as a number of fixed width (bytes).
    static let numberWidths: [UInt8: Int] = [
        2: 4, 13: 2, 19: 1, 20: 1, 22: 2, 23: 1, 26: 2, 27: 1, 31: 1, 34: 1, 35: 4, 36: 1, 37: 1, 38: 4,
        46: 1, 91: 4, 93: 2, 108: 4,
    ]
    /// Codes dnsmasq builds itself or reads as a DNS name list: not exported.
    static let unsupported: Set<UInt8> = [12, 28, 81, 118, 119]

    static func render(_ classes: [ClientClass], source: String) throws(DHCPSnippetError) -> String {
        var lines = [
            "# autoprov export-dhcp --format dnsmasq: the client classes of \(SnippetText.commentSafe(source)).",
            "# Add these lines to dnsmasq.conf (or a file in /etc/dnsmasq.d/), next to",
            "# your dhcp-range. Each class is a tag; its options also require that no",
            "# earlier class matched, so a client gets the first matching class's options.",
        ]
        if classes.contains(where: { !$0.vendorClassAsWritten.isEmpty }) {
            lines += [
                "# Limit: dnsmasq compares option 60 case-sensitively: a vendor class",
                "# criterion matches when option 60 contains the text exactly as written",
                "# (autoprov: in any case).",
            ]
        }
        if classes.contains(where: { $0.options.keys.contains { $0.rawValue == 66 || $0.rawValue == 67 } }) {
            lines.append("# dnsmasq itself ends options 66 and 67 with a NUL byte; phones read up to it.")
        }
        var earlier: [String] = []
        for c in classes {
            guard isTag(c.name) else {
                throw DHCPSnippetError(
                    format: .dnsmasq, className: c.name, subject: "name",
                    reason: "a dnsmasq tag takes letters, digits, '_', '-' and '.' only; rename the class")
            }
            lines += ["", "# class \(c.name): \(SnippetText.summary(c))"]
            lines += c.ouis.sorted().map { "dhcp-mac=set:\(c.name)," + SnippetText.hex(SnippetText.bytes(oui: $0), separator: ":") + ":*:*:*" }
            for text in c.vendorClassAsWritten {
                guard SnippetText.isPrintableASCII(text.utf8) else {
                    throw DHCPSnippetError(
                        format: .dnsmasq, className: c.name, subject: "vendor_class \"\(SnippetText.commentSafe(text))\"",
                        reason: "dnsmasq.conf can quote printable ASCII only")
                }
                lines.append("dhcp-vendorclass=set:\(c.name),\(quoted(text))")
            }
            lines += c.macs.sorted().map { "dhcp-mac=set:\(c.name),\($0.description)" }
            let tags = (["tag:\(c.name)"] + earlier.map { "tag:!\($0)" }).joined(separator: ",")
            let directive = c.alwaysSend ? "dhcp-option-force" : "dhcp-option"
            for option in SnippetText.options(c) {
                let value = try value(option.code, option.bytes, className: c.name)
                lines.append("\(directive)=\(tags),\(option.code),\(value)")
            }
            earlier.append(c.name)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The option value in the form dnsmasq reads back as exactly `bytes`.
    static func value(_ code: UInt8, _ bytes: [UInt8], className: String) throws(DHCPSnippetError) -> String {
        func refuse(_ reason: String) -> DHCPSnippetError {
            DHCPSnippetError(format: .dnsmasq, className: className, subject: "option \(code)", reason: reason)
        }
        if unsupported.contains(code) {
            throw refuse("dnsmasq builds option \(code) itself or reads it as DNS names; set it in dnsmasq directly")
        }
        if addressCodes.contains(code) {
            guard let addresses = SnippetText.addresses(bytes) else {
                throw refuse("dnsmasq takes IPv4 addresses for it, and \(bytes.count) bytes are not a whole number of addresses")
            }
            return addresses.joined(separator: ",")
        }
        if nameCodes.contains(code) {
            guard SnippetText.isPrintableASCII(bytes) else {
                throw refuse("dnsmasq takes text for it, and dnsmasq.conf can quote printable ASCII only (the value has other bytes)")
            }
            return quoted(String(decoding: bytes, as: UTF8.self))
        }
        if let width = numberWidths[code] {
            guard bytes.count == width else {
                throw refuse("dnsmasq takes a \(width)-byte number for it, the value has \(bytes.count) bytes")
            }
            return String(bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        // Untyped: colon-separated hex is read as bytes; a lone octet would
        // be read as text, so one byte goes as a decimal (dnsmasq: 1 byte).
        return bytes.count == 1 ? String(bytes[0]) : SnippetText.hex(bytes, separator: ":")
    }

    /// A dnsmasq.conf quoted string: `"` and `\` escaped; commas, `#` and
    /// `$` are literal inside quotes.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for ch in text {
            if ch == "\"" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out + "\""
    }

    static func isTag(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E
        }
    }
}
