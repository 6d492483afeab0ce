/// The file name a phone asked for, from the raw request target. Phones ask
/// for plain names (`0c383e07e16c.cfg`, `F0V00X600000.cfg`): anything else
/// (percent-encoding, `..`, backslashes, control or non-ASCII bytes,
/// sub-folders, overlong targets) is refused before any lookup.
enum RequestPath {
    static let maxLength = 200

    enum Outcome: Equatable {
        case file(String)
        case refused(FetchRefusal)
    }

    static func fileName(target: String, prefix: String) -> Outcome {
        let bytes = target.utf8
        guard bytes.count <= maxLength else { return .refused(.badPath) }
        // One pass over the bytes: the query is not used, but it may not
        // smuggle anything either.
        var queryStart = bytes.endIndex
        for i in bytes.indices {
            let byte = bytes[i]
            if byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") { return .refused(.badPath) }
            if byte == UInt8(ascii: "?"), queryStart == bytes.endIndex { queryStart = i }
        }
        let path = target[..<queryStart]
        guard path.hasPrefix(prefix) else { return .refused(.notFound) }
        let name = path.dropFirst(prefix.count)
        if name.isEmpty { return .refused(.notFound) }
        if name.utf8.contains(UInt8(ascii: "/")) || name.hasPrefix(".") || name.contains("..") { return .refused(.badPath) }
        return .file(String(name))
    }
}
