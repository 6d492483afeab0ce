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
        guard target.utf8.count <= maxLength else { return .refused(.badPath) }
        // The query is not used; it may not smuggle anything either.
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        for byte in target.utf8 where byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") {
            return .refused(.badPath)
        }
        guard path.hasPrefix(prefix) else { return .refused(.notFound) }
        let name = path.dropFirst(prefix.count)
        if name.isEmpty { return .refused(.notFound) }
        if name.contains("/") || name.hasPrefix(".") || name.contains("..") { return .refused(.badPath) }
        return .file(String(name))
    }
}
