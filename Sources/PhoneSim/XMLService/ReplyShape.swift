import PhoneAPI
/// The reply spellings real Fanvil firmware produces (FANVIL.md §4); each
/// simulated phone uses one, chosen by its index, so clients meet them all.
public enum ReplyShape: Int, Sendable, CaseIterable {
    /// Well-formed: `<RetCode>`, `<info>`, `key = value` items.
    case wellFormed = 0
    /// `<Info>` with a capital I.
    case capitalInfo = 1
    /// `</ FanvilConfiguration >` and keys spaced like `info. dev.Mac`,
    /// padding around `=`.
    case sloppy = 2
    /// No `<RetCode>` on `get` replies.
    case noRetCodeOnGet = 3

    /// Phone `index` gets shape `index % 4`.
    public init(phoneIndex: Int) { self = ReplyShape(rawValue: phoneIndex % 4) ?? .wellFormed }

    /// The reply body.
    public func render(_ answer: XMLServiceAnswer) -> String {
        var body = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<\(answer.root)>\n"
        if !(self == .noRetCodeOnGet && answer.items != nil) {
            body += "<RetCode>\(answer.retCode)</RetCode>\n"
        }
        if let items = answer.items {
            let info = self == .capitalInfo ? "Info" : "info"
            body += "<\(info)>\n"
            for item in items {
                body += self == .sloppy
                    ? "<Item> \(Self.spaced(item.key))  =  \(Self.escape(item.value)) </Item>\n"
                    : "<Item>\(Self.escape(item.key)) = \(Self.escape(item.value))</Item>\n"
            }
            body += "</\(info)>\n"
        }
        body += self == .sloppy ? "</ \(answer.root) >\n" : "</\(answer.root)>\n"
        return body
    }

    /// `info.dev.Mac` → `info. dev.Mac` (a space after the first dot).
    static func spaced(_ key: String) -> String {
        guard let dot = key.firstIndex(of: ".") else { return escape(key) }
        return escape(String(key[...dot]) + " " + String(key[key.index(after: dot)...]))
    }

    static func escape(_ text: String) -> String { XMLEscaping.text(text) }
}
