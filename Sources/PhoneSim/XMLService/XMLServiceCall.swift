import CLibXML2

/// One `POST /xmlService` request as the simulated phone reads it
/// (FANVIL.md §4), leniently: libxml2 recover mode, element and attribute
/// names compared case-insensitively, item texts kept raw for the engine.
public enum XMLServiceCall: Sendable, Equatable {
    /// `<FanvilConfiguration cmd="get|set|del">` with its `<Item>` texts.
    case configuration(command: String, items: [String])
    /// `<FanvilPhoneExecute>` with the URIs of its `<ExecuteItem>`s
    /// (`URI="Cmd:Reboot"` → `Cmd:Reboot`).
    case execute(uris: [String])
    /// Not XML, or an unknown root element.
    case unreadable

    public init(parsing body: [UInt8]) {
        guard let document = LenientXML.read(body) else { self = .unreadable; return }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { self = .unreadable; return }
        let children = LenientXML.elementChildren(of: root)
        switch LenientXML.name(root).lowercased() {
        case "fanvilconfiguration":
            let command = (LenientXML.attribute("cmd", of: root) ?? "").lowercased()
            let items = children.filter { LenientXML.name($0).lowercased() == "item" }.map { LenientXML.text(of: $0) }
            self = .configuration(command: KeyValueText.trimmed(command[...]), items: items)
        case "fanvilphoneexecute":
            let texts = children.filter { LenientXML.name($0).lowercased() == "executeitem" }
                .map { LenientXML.text(of: $0) }
            self = .execute(uris: texts.map(Self.uri(of:)))
        default:
            self = .unreadable
        }
    }

    /// The value of `URI="..."` in an ExecuteItem's text (straight or curly
    /// quotes), or the trimmed text itself when it has no `URI=`.
    static func uri(of text: String) -> String {
        let trimmed = KeyValueText.trimmed(text[...])
        guard let equals = trimmed.firstIndex(of: "="),
              trimmed[..<equals].trimmingSpaces.lowercased() == "uri" else { return trimmed }
        let quotes: Set<Character> = ["\"", "'", "“", "”"]
        return String(trimmed[trimmed.index(after: equals)...].trimmingSpaces.filter { !quotes.contains($0) })
    }
}

extension Substring {
    var trimmingSpaces: String { KeyValueText.trimmed(self) }
}
