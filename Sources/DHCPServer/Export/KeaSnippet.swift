import Foundation
/// Kea 2.x: one `"client-classes"` entry to paste into the `Dhcp4` map.
///
/// Matching: `substring(pkt4.mac,0,3) == 0x0c383e` per OUI, `pkt4.mac ==
/// 0x…` per MAC, and per vendor class `substring(option[60].hex,0,N) ==
/// 'text'`: Kea 2.2 has no substring search and no case folding, so this
/// matches option 60 only when it *starts* with the text, as written (said
/// in the output). Each class also tests `not member('…')` of the classes
/// before it: the first match wins, as in autoprov.
///
/// Values: text options Kea defines as strings go as text when Kea's CSV
/// reading keeps them intact (no comma, backslash or edge space); every
/// other value goes as hex (`csv-format: false`), byte for byte. Option 43
/// is redefined as binary inside the class (the one option Kea lets a class
/// define), so it is sent raw instead of as Kea's encapsulated sub-options.
enum KeaSnippet: DHCPSnippet {
    /// Names Kea gives the codes it defines, for readability.
    static let names: [UInt8: String] = [
        3: "routers", 6: "domain-name-servers", 12: "host-name", 15: "domain-name", 17: "root-path",
        18: "extensions-path", 40: "nis-domain", 42: "ntp-servers", 43: "vendor-encapsulated-options",
        64: "nisplus-domain-name", 66: "tftp-server-name", 67: "boot-file-name",
    ]
    /// Class names Kea assigns itself (DROP drops the packet).
    static let builtIn: Set<String> = ["ALL", "KNOWN", "UNKNOWN", "BOOTP", "DROP"]
    static let builtInPrefixes = ["VENDOR_CLASS_", "HA_", "SPAWN_"]
    /// Codes Kea defines as a plain string (RFC 2132 NVT ASCII).
    static let stringCodes: Set<UInt8> = [12, 15, 17, 18, 40, 64, 66, 67]

    static func render(_ classes: [ClientClass], source: String) throws(DHCPSnippetError) -> String {
        var lines = [
            "// autoprov export-dhcp --format kea: the client classes of \(SnippetText.commentSafe(source)).",
            "// Paste the \"client-classes\" entry below into the \"Dhcp4\" map of your Kea",
            "// configuration (kea-dhcp4.conf), next to \"subnet4\", with a comma after it",
            "// if more entries follow. If you have \"client-classes\" already, add these",
            "// classes to your list, in this order. A client gets the options of the",
            "// first class it matches: each class tests that no earlier one matched.",
        ]
        if classes.contains(where: { !$0.vendorClassAsWritten.isEmpty }) {
            lines += [
                "// Limit: Kea 2.2 expressions have no substring search and no case folding:",
                "// a vendor class (option 60) criterion matches when option 60 STARTS with",
                "// the text, exactly as written (autoprov: contains it, in any case).",
            ]
        }
        lines.append("\"client-classes\": [")
        var earlier: [String] = []
        for (i, c) in classes.enumerated() {
            guard !c.name.contains("'") else {
                throw DHCPSnippetError(
                    format: .kea, className: c.name, subject: "name",
                    reason: "a Kea class name used in member('...') cannot contain a single quote")
            }
            guard !builtIn.contains(c.name), !builtInPrefixes.contains(where: { c.name.hasPrefix($0) }) else {
                throw DHCPSnippetError(
                    format: .kea, className: c.name, subject: "name",
                    reason: "Kea gives this name a meaning of its own (built-in class); rename the class")
            }
            lines += entry(c, earlier: earlier).map { "    " + $0 }
            if i < classes.count - 1 { lines[lines.count - 1] += "," }
            earlier.append(c.name)
        }
        lines.append("]")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func entry(_ c: ClientClass, earlier: [String]) -> [String] {
        var lines = ["{", "    // \(SnippetText.commentSafe(c.name)): \(SnippetText.summary(c))"]
        lines.append("    \"name\": \(json(c.name)),")
        lines.append("    \"test\": \(json(test(c, earlier: earlier))),")
        let options = SnippetText.options(c)
        if options.contains(where: { $0.code == 43 }) {
            lines.append("    // Option 43 as raw bytes, not Kea's encapsulated sub-options.")
            lines.append("    \"option-def\": [ { \"name\": \"vendor-encapsulated-options\", \"code\": 43, \"type\": \"binary\" } ],")
        }
        lines.append("    \"option-data\": [")
        for (i, option) in options.enumerated() {
            var fields: [String] = []
            if let name = names[option.code] { fields.append("\"name\": \(json(name))") }
            fields.append("\"code\": \(option.code)")
            if stringCodes.contains(option.code), csvSafe(option.bytes) {
                fields.append("\"data\": \(json(String(decoding: option.bytes, as: UTF8.self)))")
            } else {
                if let text = SnippetText.commentValue(option.bytes) { lines.append("        // \(option.code): \(text)") }
                fields.append("\"csv-format\": false")
                fields.append("\"data\": \"\(SnippetText.hex(option.bytes))\"")
            }
            if c.alwaysSend { fields.append("\"always-send\": true") }
            lines.append("        { " + fields.joined(separator: ", ") + " }" + (i < options.count - 1 ? "," : ""))
        }
        lines += ["    ]", "}"]
        return lines
    }

    /// The class's expression: its criteria OR'ed, and none of the earlier classes.
    static func test(_ c: ClientClass, earlier: [String]) -> String {
        var terms = c.ouis.sorted().map { "substring(pkt4.mac,0,3) == 0x" + SnippetText.hex(SnippetText.bytes(oui: $0)) }
        for text in c.vendorClassAsWritten {
            let bytes = Array(text.utf8)
            let literal = SnippetText.isPrintableASCII(bytes) && !text.contains("'")
                ? "'\(text)'" : "0x" + SnippetText.hex(bytes)
            terms.append("substring(option[60].hex,0,\(bytes.count)) == \(literal)")
        }
        terms += c.macs.sorted().map { "pkt4.mac == 0x" + SnippetText.hex($0.bytes) }
        let criteria = terms.joined(separator: " or ")
        guard !earlier.isEmpty else { return criteria }
        return "(\(criteria))" + earlier.map { " and not member('\($0)')" }.joined()
    }

    /// Kea reads string data as comma-separated CSV (a comma splits, a
    /// backslash escapes, edge spaces are trimmed): text without those
    /// reaches the wire unchanged.
    static func csvSafe(_ bytes: [UInt8]) -> Bool {
        SnippetText.isPrintableASCII(bytes) && !bytes.contains(UInt8(ascii: ","))
            && !bytes.contains(UInt8(ascii: "\\")) && bytes.first != 0x20 && bytes.last != 0x20
    }

    /// A JSON string literal (Foundation's encoder; `/` left as is).
    static func json(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}
