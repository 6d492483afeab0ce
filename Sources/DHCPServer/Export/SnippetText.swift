import DHCPv4

/// Text helpers shared by the snippet renderers.
enum SnippetText {
    /// Printable ASCII only (0x20-0x7e): what every target syntax can
    /// quote without an escape of its own for control or 8-bit bytes.
    static func isPrintableASCII(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { (0x20...0x7E).contains($0) }
    }

    static func hex(_ bytes: some Sequence<UInt8>, separator: String = "") -> String {
        bytes.map { hexByte($0) }.joined(separator: separator)
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// The three octets of a 24-bit OUI.
    static func bytes(oui: UInt32) -> [UInt8] {
        [UInt8(oui >> 16 & 0xFF), UInt8(oui >> 8 & 0xFF), UInt8(oui & 0xFF)]
    }

    /// Dotted quads when `bytes` is a whole number (at least one) of addresses.
    static func addresses(_ bytes: [UInt8]) -> [String]? {
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 4).map {
            IPv4Address(bytes[$0], bytes[$0 + 1], bytes[$0 + 2], bytes[$0 + 3]).description
        }
    }

    /// Text for a one-line comment: anything outside printable ASCII
    /// becomes `?`, so a value can never end the comment.
    static func commentSafe(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// A class's criteria in words, for the comment above it.
    static func summary(_ c: ClientClass) -> String {
        var parts: [String] = []
        let ouis = c.ouis.sorted()
        if !ouis.isEmpty { parts.append("MAC OUI " + ouis.map { hex(bytes(oui: $0), separator: ":") }.joined(separator: " or ")) }
        if !c.vendorClassAsWritten.isEmpty {
            parts.append("option 60 containing " + c.vendorClassAsWritten.map { "\"\($0)\"" }.joined(separator: " or "))
        }
        let macs = c.macs.sorted()
        if !macs.isEmpty { parts.append("MAC " + macs.map(\.description).joined(separator: " or ")) }
        return commentSafe(parts.joined(separator: "; "))
    }

    /// The class's options, by code.
    static func options(_ c: ClientClass) -> [(code: UInt8, bytes: [UInt8])] {
        c.options.sorted { $0.key < $1.key }.map { ($0.key.rawValue, $0.value) }
    }

    /// A readable rendering of a value for a comment: its text when it is
    /// printable ASCII, else nothing.
    static func commentValue(_ bytes: [UInt8]) -> String? {
        isPrintableASCII(bytes) ? "\"" + String(decoding: bytes, as: UTF8.self) + "\"" : nil
    }
}
