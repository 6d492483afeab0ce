import Mustache

/// How values are escaped in each output format. A value is text, never
/// markup or keys: in XML `<&>"'` become entities; in a dot-key text file a
/// line break would start a new key, so CR and LF become spaces.
struct XMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

struct ConfigTextContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return String(text.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}

/// The output formats, chosen by a template's extension.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// sysConf XML (`*.xml.mustache`).
    case xml
    /// Dot-key text (`*.cfg.mustache`).
    case cfg
    /// Plain text such as the firmware check file (`*.txt.mustache`).
    case txt

    /// The pragma put in front of the template text.
    var pragma: String {
        switch self {
        case .xml: "{{% CONTENT_TYPE: AUTOPROV_XML}}"
        case .cfg, .txt: "{{% CONTENT_TYPE: AUTOPROV_TEXT}}"
        }
    }

    public var httpContentType: String {
        switch self {
        case .xml: "text/xml; charset=utf-8"
        case .cfg, .txt: "text/plain; charset=utf-8"
        }
    }

    static let registered: Void = {
        MustacheContentTypes.register(XMLContentType(), named: "AUTOPROV_XML")
        MustacheContentTypes.register(ConfigTextContentType(), named: "AUTOPROV_TEXT")
    }()
}
