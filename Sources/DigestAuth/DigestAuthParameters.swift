/// The auth-param list of an HTTP or SIP `Authorization` / `WWW-Authenticate`
/// Digest header (RFC 9110 §11.2, RFC 7616, RFC 3261 §25): `key=token` and
/// `key="quoted \"string\", with commas"`, separated by commas.
///
/// One parser for every side that reads these headers (the config server
/// checking phones, the phone API client answering phones, and phonesim's
/// phones and registrar): outside input, fuzzed through the config server's
/// `http-request` target. Pure Swift, no Foundation.
public enum DigestAuthParameters {
    /// Keys lowercased. A key given twice is invalid per RFC 7616; the first
    /// one counts. Parsing stops at a part without `=`.
    public static func parse(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" || $0 == "\n" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = trimmed(rest[..<equals]).lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = trimmed(rest[..<end])
                rest = rest[end...]
            }
            if !key.isEmpty, result[key] == nil { result[key] = value }
        }
        return result
    }

    /// A quoted-string with `"` and `\` escaped.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// Without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
