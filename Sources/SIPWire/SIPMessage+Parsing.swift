extension SIPMessage {
    /// The largest datagram accepted (RFC 3261 §18.1.1 keeps UDP well below).
    public static let maximumSize = 65_535
    /// The most header lines accepted.
    public static let maximumHeaderCount = 128

    /// Parses one message from a datagram. Tolerant: leading blank lines,
    /// bare-LF line ends, folded header lines, spaces around the colon,
    /// compact header names and a missing Content-Length (the rest of the
    /// datagram is the body) are accepted; a Content-Length shorter than
    /// what arrived cuts the body.
    public init(parsing bytes: some Collection<UInt8>) throws(SIPParseError) {
        let bytes = Array(bytes)
        guard bytes.count <= Self.maximumSize else { throw .tooLarge(bytes.count) }
        var start = 0
        while start < bytes.count, bytes[start] == 13 || bytes[start] == 10 { start += 1 }
        guard start < bytes.count else { throw .empty }
        guard let (headerEnd, bodyStart) = Self.headerSectionEnd(bytes, from: start) else { throw .unterminatedHeaders }
        guard let text = String(validating: bytes[start..<headerEnd], as: UTF8.self) else { throw .notText }

        var lines: [String] = []
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if let first = line.first, first == " " || first == "\t", lines.count > 1 {
                lines[lines.count - 1] += " " + line.trimmingSpaces()  // folded continuation
            } else {
                lines.append(line)
            }
        }
        guard let first = lines.first else { throw .empty }
        let startLine = try Self.parseStartLine(first)
        guard lines.count - 1 <= Self.maximumHeaderCount else { throw .tooManyHeaders }

        var headers = SIPHeaders()
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .badHeader(line) }
            let name = line[..<colon].trimmingSpaces()
            guard !name.isEmpty, !name.contains(" ") else { throw .badHeader(line) }
            headers.add(name, line[line.index(after: colon)...].trimmingSpaces())
        }

        var body = Array(bytes[bodyStart...])
        if let length = headers["Content-Length"] {
            guard let count = Int(length), count >= 0 else { throw .badContentLength(length) }
            guard count <= body.count else { throw .truncatedBody(expected: count, actual: body.count) }
            body = Array(body.prefix(count))
        }
        self.init(startLine: startLine, headers: headers, body: body)
    }

    /// Where the header section ends (its blank line) and the body begins.
    static func headerSectionEnd(_ bytes: [UInt8], from start: Int) -> (Int, Int)? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 10 {
                if i + 1 < bytes.count, bytes[i + 1] == 10 { return (i, i + 2) }
                if i + 2 < bytes.count, bytes[i + 1] == 13, bytes[i + 2] == 10 { return (i, i + 3) }
            }
            i += 1
        }
        // A message cut right after its last header line (no blank line):
        // tolerated when the bytes end with a line break.
        if let last = bytes.last, last == 10 { return (bytes.count, bytes.count) }
        return nil
    }

    static func parseStartLine(_ line: String) throws(SIPParseError) -> StartLine {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2 else { throw .badStartLine(line) }
        if parts[0].uppercased().hasPrefix("SIP/") {
            guard let status = Int(parts[1]), (100...699).contains(status) else { throw .badStartLine(line) }
            return .response(status: status, reason: parts.count == 3 ? parts[2].trimmingSpaces() : "")
        }
        guard parts.count == 3, parts[2].uppercased().hasPrefix("SIP/"),
              parts[0].allSatisfy({ $0.isLetter || $0 == "-" }) else { throw .badStartLine(line) }
        return .request(method: parts[0].uppercased(), uri: String(parts[1]))
    }
}
