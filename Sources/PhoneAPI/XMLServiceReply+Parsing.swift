import CLibXML2

/// libxml2 is initialised once per process, before the first parse, as its
/// documentation asks of threaded programs.
private let libxml2Initialised: Void = { xmlInitParser() }()

extension XMLServiceReply {
    /// Anything larger is refused before parsing. Replies are small; the size
    /// of a full `get .` on a real phone is not measured yet (4 MiB is a guess
    /// with a wide margin).
    public static let maximumReplySize = 4 << 20

    /// Recover from malformed markup, never touch the network, stay silent.
    /// Deliberately absent: `XML_PARSE_NOENT` (no entity substitution),
    /// `XML_PARSE_DTDLOAD`/`DTDATTR`/`DTDVALID` (no external subset),
    /// `XML_PARSE_HUGE` (libxml2's size and depth limits stay on).
    static let parseOptions = Int32(
        XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
    )

    /// Reads a reply body leniently: first `XMLReplyRepair` fixes the few
    /// shapes recover mode cannot, then libxml2 parses in recover mode.
    ///
    /// Text is taken only from text and CDATA nodes: entity references are
    /// skipped, never expanded, so a DOCTYPE in a reply cannot pull in a file
    /// (XXE) or multiply itself (billion laughs).
    public init(parsing body: some Collection<UInt8>) throws(XMLServiceReplyError) {
        guard !body.isEmpty else { throw .empty }
        guard body.count <= Self.maximumReplySize else {
            throw .tooLarge(size: body.count, limit: Self.maximumReplySize)
        }
        _ = libxml2Initialised
        let bytes = XMLReplyRepair.repair(Array(body))
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(chars.count), nil, nil, Self.parseOptions)
            }
        }
        guard let document else { throw .notXML }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw .notXML }
        self.init(root: XMLNodeReading.name(root))
        read(root)
    }

    /// Walks the tree iteratively (no recursion on phone-controlled depth).
    private mutating func read(_ root: xmlNodePtr) {
        var pending: [xmlNodePtr] = [root]
        while let node = pending.popLast() {
            visit(node)
            var children: [xmlNodePtr] = []
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { children.append(current) }
                child = current.pointee.next
            }
            pending.append(contentsOf: children.reversed())
        }
    }

    private mutating func visit(_ element: xmlNodePtr) {
        switch XMLNodeReading.name(element).lowercased() {
        case "retcode" where retCodeText == nil:
            let text = XMLServiceItemText.trimmed(XMLNodeReading.text(of: element)[...])
            retCodeText = text
            retCode = Int(text)
        case "item" where XMLNodeReading.parentName(element)?.lowercased() == "info":
            if let item = XMLServiceItemText.split(XMLNodeReading.text(of: element)) {
                items.append(item)
            }
        case "info":
            if let payload = XMLNodeReading.cdata(of: element) {
                executeOutput = (executeOutput ?? "") + payload
            }
        default:
            break
        }
    }
}
