/// An `http://host[:port]/path?query` URL, all the simulated phone fetches
/// (config files, action URLs). Other schemes are refused.
public struct HTTPURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The request target: path and query, starting with `/`.
    public var target: String

    public init?(_ text: String) {
        let trimmed = KeyValueText.trimmed(text[...])
        guard trimmed.lowercased().hasPrefix("http://") else { return nil }
        let rest = trimmed.dropFirst(7)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<slash]
        var target = String(rest[slash...])
        if target.isEmpty { target = "/" } else if target.first == "?" { target = "/" + target }
        let hostPort = authority.split(separator: "@").last ?? authority
        if let colon = hostPort.lastIndex(of: ":") {
            guard let port = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(port) else { return nil }
            host = String(hostPort[..<colon])
            self.port = port
        } else {
            host = String(hostPort)
            port = 80
        }
        guard !host.isEmpty else { return nil }
        self.target = target
    }

    public var description: String { "http://\(host)\(port == 80 ? "" : ":\(port)")\(target)" }

    /// The provisioning URL a phone derives from option 66/43 (FANVIL.md §1):
    /// `$mac` replaced by the 12-digit MAC; a URL ending in `/` is a
    /// directory, completed with `<mac>.cfg`.
    public static func provisioning(_ option: String, mac: String) -> HTTPURL? {
        var text = KeyValueText.trimmed(option[...]).replacingOccurrences(of: "$mac", with: mac)
        if text.hasSuffix("/") { text += "\(mac).cfg" }
        return HTTPURL(text)
    }

    /// An action URL (`cti.*Url`) with `$mac` and `$ip` replaced.
    public static func action(_ template: String, mac: String, ip: String) -> HTTPURL? {
        HTTPURL(template.replacingOccurrences(of: "$mac", with: mac).replacingOccurrences(of: "$ip", with: ip))
    }
}

extension String {
    /// Plain substring replacement without Foundation.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
