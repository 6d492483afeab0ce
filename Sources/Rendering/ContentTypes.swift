import Mustache
import SafeText

/// How values are escaped in each output format. A value is text, never
/// markup or keys: in XML `<&>"'` become entities. Neither format has an
/// escape for a line or item break that the phone would honour, so such a
/// value never gets here: `RenderValueCheck` fails the render first
/// (`ValueSafety`). As a second line of defence, whatever `ValueSafety`
/// refuses becomes a space here, except U+0001, which only `MissingValue`'s
/// marker carries (values are checked for it like for any control character).
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
            default: out.unicodeScalars.append(neutralised(c))
            }
        }
        return out
    }
}

struct ConfigTextContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { neutralised($0) != $0 }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map(neutralised)))
    }
}

/// A space for a scalar `ValueSafety` refuses, but the missing-value marker's.
private func neutralised(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    scalar != "\u{1}" && !ValueSafety.isAllowed(scalar) ? " " : scalar
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
