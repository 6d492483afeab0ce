import CLibXML2

/// libxml2 as the simulated phone uses it for incoming XML (config files,
/// xmlService requests): recover mode, no network, no entity substitution,
/// no DTD loading, silent. Text is read from text and CDATA nodes only.
enum LenientXML {
    private static let initialised: Void = { xmlInitParser() }()

    static let options = Int32(
        XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
    )

    /// The parsed document (free it with `xmlFreeDoc`), `nil` when empty or hopeless.
    static func read(_ bytes: [UInt8]) -> xmlDocPtr? {
        guard !bytes.isEmpty, bytes.count <= 4 << 20 else { return nil }
        _ = initialised
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(chars.count), nil, nil, options)
            }
        }
    }

    static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// The element children in document order.
    static func elementChildren(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    /// Concatenated direct text and CDATA children (entity references skipped).
    static func text(of node: xmlNodePtr) -> String {
        var result = ""
        var child = node.pointee.children
        while let current = child {
            let type = current.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let content = current.pointee.content {
                result += String(cString: content)
            }
            child = current.pointee.next
        }
        return result
    }

    /// An attribute's text, its name compared case-insensitively.
    static func attribute(_ wanted: String, of node: xmlNodePtr) -> String? {
        var property = node.pointee.properties
        while let current = property {
            if let name = current.pointee.name, String(cString: name).lowercased() == wanted.lowercased() {
                var value = ""
                var child = current.pointee.children
                while let text = child {
                    if let content = text.pointee.content { value += String(cString: content) }
                    child = text.pointee.next
                }
                return value
            }
            property = current.pointee.next
        }
        return nil
    }
}
