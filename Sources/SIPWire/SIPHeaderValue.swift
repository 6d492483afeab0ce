/// Small, tolerant readers of SIP header values: comma lists, `;param=value`
/// parameters and the user part of a `name-addr` (`"Bob" <sip:1001@host>;tag=x`).
public enum SIPHeaderValue {
    /// Splits a comma-separated list, ignoring commas inside quotes or `<...>`.
    public static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false, escaped = false, angle = false
        for c in value {
            if quoted {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { quoted = false }
                continue
            }
            switch c {
            case "\"": quoted = true; current.append(c)
            case "<": angle = true; current.append(c)
            case ">": angle = false; current.append(c)
            case "," where !angle:
                parts.append(current.trimmingSpaces())
                current = ""
            default: current.append(c)
            }
        }
        let last = current.trimmingSpaces()
        if !last.isEmpty || !parts.isEmpty { parts.append(last) }
        return parts.filter { !$0.isEmpty }
    }

    /// The value of the header parameter `name` (`;branch=z9hG4bK1` after any
    /// `<...>` and quoted text), "" for a flag parameter, nil if absent.
    public static func parameter(_ name: String, in value: String) -> String? {
        var text = Substring(value)
        if let close = text.lastIndex(of: ">") { text = text[text.index(after: close)...] }
        for raw in text.split(separator: ";").dropFirst(text.first == ";" ? 0 : 1) {
            let pair = raw.split(separator: "=", maxSplits: 1)
            guard let key = pair.first, String(key).trimmingSpaces().lowercased() == name.lowercased() else { continue }
            return pair.count == 2 ? String(pair[1]).trimmingSpaces().trimmingQuotes() : ""
        }
        return nil
    }

    /// The user part of the SIP URI in a `name-addr` or `addr-spec`
    /// (`<sip:1001@10.0.0.1:5060>` gives `1001`), nil when it has none.
    public static func uriUser(_ value: String) -> String? {
        guard let uri = uri(value) else { return nil }
        guard let at = uri.firstIndex(of: "@"), let colon = uri.firstIndex(of: ":"), colon < at else { return nil }
        let user = uri[uri.index(after: colon)..<at]
        let bare = user.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""  // drop user:password
        return bare.isEmpty ? nil : bare
    }

    /// The URI of a `name-addr` (inside `<>`) or the leading `addr-spec`.
    public static func uri(_ value: String) -> String? {
        if let open = value.firstIndex(of: "<") {
            let rest = value[value.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { return nil }
            return String(rest[..<close]).trimmingSpaces()
        }
        let spec = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        let trimmed = spec.trimmingSpaces()
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line ends.
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" || f == "\r\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" || l == "\r\n" { s = s.dropLast() }
        return String(s)
    }

    /// Without one pair of surrounding double quotes.
    public func trimmingQuotes() -> String {
        let s = String(self)
        guard s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") else { return s }
        return String(s.dropFirst().dropLast())
    }
}
