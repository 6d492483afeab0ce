import CLibXML2

/// Reading names and text out of libxml2 nodes, without ever following an
/// entity reference.
enum XMLNodeReading {
    /// The element's name, `""` when it has none.
    static func name(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The name of the parent element, `nil` at the root.
    static func parentName(_ node: xmlNodePtr) -> String? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else {
            return nil
        }
        return name(parent)
    }

    /// The concatenated text and CDATA children (direct children only).
    /// Entity reference nodes are skipped on purpose.
    static func text(of node: xmlNodePtr) -> String {
        children(of: node, types: [XML_TEXT_NODE, XML_CDATA_SECTION_NODE]) ?? ""
    }

    /// The concatenated CDATA children, `nil` when there are none.
    static func cdata(of node: xmlNodePtr) -> String? {
        children(of: node, types: [XML_CDATA_SECTION_NODE])
    }

    private static func children(of node: xmlNodePtr, types: [xmlElementType]) -> String? {
        var result: String?
        var child = node.pointee.children
        while let current = child {
            if types.contains(current.pointee.type), let content = current.pointee.content {
                result = (result ?? "") + String(cString: content)
            }
            child = current.pointee.next
        }
        return result
    }
}
