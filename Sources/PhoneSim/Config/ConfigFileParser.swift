import CLibXML2

/// Reads the per-device file a phone downloads (FANVIL.md §3) into dot keys.
///
/// Both shapes give the same keys: sysConf XML (`<sysConf><sip><line
/// index="1"><RegisterAddr>`), where the element path is joined with `.`
/// and an `index` attribute becomes a numeric segment, and dot-key text
/// (`sip.line.1.RegisterAddr = ...`, `#` comment lines such as the
/// `#<Voip Config File>#` header). The file's own `Version` is metadata and
/// is not returned.
public enum ConfigFileParser {
    public enum Failure: Error, Equatable, Sendable {
        /// XML with no root element even in recover mode.
        case notXML
    }

    /// Parses either shape, chosen by the first non-blank byte (`<` = XML).
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> [(key: String, value: String)] {
        let first = bytes.first { ![UInt8(ascii: " "), 9, 10, 13, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "<") { return try parseXML(bytes) }
        return parseText(String(decoding: bytes, as: UTF8.self))
    }

    /// Dot-key text: one `key = value` a line; blank, `#`, `<` and `=`-less lines skipped.
    public static func parseText(_ text: String) -> [(key: String, value: String)] {
        var items: [(key: String, value: String)] = []
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = KeyValueText.trimmed(rawLine)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("<") else { continue }
            guard let item = KeyValueText.splitDetailed(line), item.hasEquals, !item.key.isEmpty,
                  item.key != "Version" else { continue }
            items.append((item.key, item.value))
        }
        return items
    }

    /// sysConf XML, read by libxml2 in recover mode without network or
    /// entity expansion.
    public static func parseXML(_ bytes: [UInt8]) throws(Failure) -> [(key: String, value: String)] {
        guard let document = LenientXML.read(bytes) else { throw .notXML }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw .notXML }
        var items: [(key: String, value: String)] = []
        // Iterative walk: (node, path of its parent).
        var pending: [(xmlNodePtr, [String])] = LenientXML.elementChildren(of: root).reversed().map { ($0, []) }
        while let (node, parentPath) = pending.popLast() {
            var path = parentPath
            path.append(LenientXML.name(node))
            if let index = LenientXML.attribute("index", of: node), !index.isEmpty { path.append(index) }
            let children = LenientXML.elementChildren(of: node)
            if children.isEmpty {
                let key = path.joined(separator: ".")
                guard key != "Version" else { continue }
                items.append((key, KeyValueText.trimmed(LenientXML.text(of: node)[...])))
            } else {
                pending.append(contentsOf: children.reversed().map { ($0, path) })
            }
        }
        return items
    }
}
