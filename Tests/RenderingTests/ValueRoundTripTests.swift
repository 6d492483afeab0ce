import DHCPv4
import PhoneAPI
import Rendering
import SafeText
import Store
import Testing

/// SplitMix64: a seeded generator, so a failure replays.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Property: whatever a value holds, what reaches the phone parses back to
/// exactly the intended keys and values, or the render is refused
/// (`RenderError.unsafeValue`). Checked on the push items, on the
/// xmlService request built from them (libxml2, strict), on the sysConf XML
/// file (libxml2, strict) and on the dot-key text file (line by line).
@Suite struct ValueRoundTripTests {
    /// Pieces values are made of: ASCII, every kind of break, quotes, `=`,
    /// XML and Mustache specials, combining marks, wide spaces, non-BMP, and
    /// the injection itself.
    static let pieces: [String] = [
        "a", "Z", "7", " ", "  ", "=", " = ", "#", "'", "\"", "<", ">", "&", ";", "&amp;", "&#x2028;", "]]>", "<!--",
        "</DisplayName>", "<Item>", "{{label}}", "\\", "\\n", "%0A", ".", "sip.line.2.RegisterAddr = 6.6.6.6",
        "web.account.1.Password = injected", "\n", "\r", "\r\n", "\t", "\u{0B}", "\u{0C}", "\u{0}", "\u{1}", "\u{1B}",
        "\u{7F}", "\u{85}", "\u{9F}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}", "\u{FEFF}", "\u{FFFE}",
        "\u{301}", "\u{A0}", "\u{3000}", "\u{200B}", "\u{200F}", "é", "日本", "📞", "𝄞", "👩‍👩‍👧", "\u{E000}", "\u{10FFFD}",
    ]

    static func value(_ rng: inout SeededGenerator) -> String {
        let count = Int.random(in: 1...8, using: &rng)
        return (0..<count).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    /// The dot-key formats trim ASCII spaces and tabs around a value; XML keeps them.
    static func trimmed(_ value: String) -> String {
        var scalars = value.unicodeScalars[...]
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    static func device(_ value: String) -> Device {
        Device(
            mac: testMAC, label: value, model: "X6", adminUser: "admin", adminPassword: value,
            variables: ["ntp_server": value],
            lines: [SIPLine(index: 1, number: "101", password: value, displayName: value, registrar: value)])
    }

    /// `key = value` lines of rendered dot-key text, split at LF only.
    static func dotKeyLines(_ text: String) -> [(key: String, value: String)] {
        text.unicodeScalars.split(separator: "\n").compactMap { line in
            guard line.first != "#", let equals = line.firstIndex(of: "=") else { return nil }
            let key = String(String.UnicodeScalarView(line[..<equals])).trimmingSpaces
            return (key, trimmed(String(String.UnicodeScalarView(line[line.index(after: equals)...]))))
        }
    }

    @Test func renderedValuesParseBackToExactlyTheIntendedItemsOrAreRefused() throws {
        let xmlRenderer = try Renderer(settings: RenderSettings(shippedFolder: shippedTemplates))
        let textRenderer = try Renderer(settings: RenderSettings(
            shippedFolder: shippedTemplates, globalVariables: ["config_format": "text"]))
        let baselineXML = try #require(StrictXML.leaves(
            try xmlRenderer.render(.device(testMAC), device: Self.device("x"), group: nil).body)).map(\.path)
        let baselineText = Self.dotKeyLines(
            try textRenderer.render(.device(testMAC), device: Self.device("x"), group: nil).body).map(\.key)
        var rng = SeededGenerator(state: 13)
        var (accepted, refused) = (0, 0)
        for _ in 0..<3000 {
            let value = Self.value(&rng)
            let device = Self.device(value)
            if let violation = ValueSafety.firstViolation(in: value) {
                refused += 1
                let expected = RenderError.unsafeValue(field: "variable ntp_server", device: testMAC.compact, reason: violation)
                #expect(throws: expected) { try xmlRenderer.pushItems(device: device, group: nil) }
                #expect(throws: expected) { try xmlRenderer.render(.device(testMAC), device: device, group: nil) }
                #expect(throws: expected) { try textRenderer.render(.device(testMAC), device: device, group: nil) }
                continue
            }
            accepted += 1
            let v = Self.trimmed(value)
            let intended: [(String, String)] = [
                ("sip.line.1.PhoneNumber", "101"), ("sip.line.1.DisplayName", v), ("sip.line.1.RegisterAddr", v),
                ("sip.line.1.RegisterPort", "5060"), ("sip.line.1.RegisterUser", "101"), ("sip.line.1.RegisterPswd", v),
                ("sip.line.1.EnableReg", "1"),
            ]
            let items = try xmlRenderer.pushItems(device: device, group: nil)
            #expect(items.map(\.key) == intended.map(\.0) && items.map(\.value) == intended.map(\.1), "\(value.debugDescription)")

            let request = try XMLServiceRequest.set(items)
            let sent = try #require(StrictXML.items(request.body), "\(value.debugDescription)")
            let parsed = sent.map { item -> (String, String) in
                let scalars = item.unicodeScalars
                let equals = scalars.firstIndex(of: "=")!
                return (String(String.UnicodeScalarView(scalars[..<equals])).trimmingSpaces,
                        Self.trimmed(String(String.UnicodeScalarView(scalars[scalars.index(after: equals)...]))))
            }
            #expect(parsed.map(\.0) == intended.map(\.0) && parsed.map(\.1) == intended.map(\.1), "\(value.debugDescription)")

            let xml = try #require(StrictXML.leaves(
                try xmlRenderer.render(.device(testMAC), device: device, group: nil).body), "\(value.debugDescription)")
            #expect(xml.map(\.path) == baselineXML, "\(value.debugDescription)")
            let xmlTable = Dictionary(xml.map { ($0.path, $0.text) }, uniquingKeysWith: { $1 })
            for path in ["sysConf/sip/line[1]/DisplayName", "sysConf/sip/line[1]/RegisterPswd", "sysConf/sip/line[1]/RegisterAddr",
                         "sysConf/phone/date/SNTPServer", "sysConf/web/account[1]/Password"] {
                #expect(xmlTable[path] == value, "\(path) \(value.debugDescription)")
            }

            let text = Self.dotKeyLines(try textRenderer.render(.device(testMAC), device: device, group: nil).body)
            #expect(text.map(\.key) == baselineText, "\(value.debugDescription)")
            let textTable = Dictionary(text.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            for key in ["sip.line.1.DisplayName", "sip.line.1.RegisterPswd", "phone.date.SNTPServer", "web.account.1.Password"] {
                #expect(textTable[key] == v, "\(key) \(value.debugDescription)")
            }
        }
        #expect(accepted > 500 && refused > 500, "accepted \(accepted), refused \(refused)")
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = unicodeScalars[...]
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
