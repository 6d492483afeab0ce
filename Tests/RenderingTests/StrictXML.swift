import CLibXML2

/// A rendered XML file read strictly (no recover mode, no network): its leaf
/// elements as `path = text`, with `index` attributes in the path
/// (`sysConf/sip/line[1]/DisplayName`); nil when libxml2 refuses the file.
enum StrictXML {
    static func leaves(_ text: String) -> [(path: String, text: String)]? {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let bytes = Array(text.utf8)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), nil, nil, options) }
        }
        guard let document else { return nil }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { return nil }
        var leaves: [(path: String, text: String)] = []
        var pending: [(xmlNodePtr, String)] = [(root, name(root))]
        while let (node, path) = pending.popLast() {
            var children: [(xmlNodePtr, String)] = []
            var text = ""
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    children.append((current, path + "/" + name(current)))
                } else if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
                          let content = current.pointee.content {
                    text += String(cString: content)
                }
                child = current.pointee.next
            }
            if children.isEmpty { leaves.append((path, text)) }
            pending.append(contentsOf: children.reversed())
        }
        return leaves
    }

    private static func name(_ node: xmlNodePtr) -> String {
        let base = node.pointee.name.map { String(cString: $0) } ?? ""
        var attribute = node.pointee.properties
        while let current = attribute {
            if String(cString: current.pointee.name) == "index", let text = current.pointee.children?.pointee.content {
                return base + "[" + String(cString: text) + "]"
            }
            attribute = current.pointee.next
        }
        return base
    }

    /// The `<Item>` texts of an xmlService request body.
    static func items(_ body: String) -> [String]? {
        leaves(body)?.filter { $0.path.hasSuffix("/Item") }.map(\.text)
    }
}
