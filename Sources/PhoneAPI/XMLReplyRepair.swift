/// A byte-level pre-pass that repairs the malformed shapes the vendor guide
/// itself shows, which libxml2's recover mode cannot fix on its own:
///
/// 1. Spaces between `<` or `</` and a known Fanvil element name:
///    `< FanvilPhoneExecute >`, `</ FanvilConfiguration >` (a space before
///    `>` is already legal XML). Only the names in `knownElements` are
///    repaired, so a stray `a < b` in text is never turned into a tag.
/// 2. Typographic quotes around attribute values inside a tag:
///    `Beep=“yes” cmd=”set”` becomes `Beep="yes" cmd="set"`; a curly quote
///    inside a straight-quoted value is left alone.
/// 3. A missing space after an attribute value, as in the guide's
///    `Beep=“yes”cmd=”set”`: one space is inserted.
///
/// Comments, CDATA sections, processing instructions and declarations are
/// copied unchanged; anything else is left to recover mode.
enum XMLReplyRepair {
    /// Lowercased element names of the xmlService vocabulary.
    static let knownElements: Set<String> = [
        "fanvilconfiguration", "fanvilphoneexecute", "retcode", "info", "item",
        "executeitem", "len",
    ]

    /// Markup copied unchanged, longest opener first.
    private static let verbatimMarkers: [(open: [UInt8], close: [UInt8])] = [
        ("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    static func repair(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 16)
        var index = 0
        while index < input.count {
            guard input[index] == Byte.open else {
                output.append(input[index])
                index += 1
                continue
            }
            if let end = verbatimEnd(input, at: index) {
                output.append(contentsOf: input[index..<end])
                index = end
            } else {
                index = repairTag(input, at: index, into: &output)
            }
        }
        return output
    }

    /// Where a comment, CDATA section, PI or declaration starting at `index`
    /// ends (or the input's end), `nil` when `index` starts a tag.
    private static func verbatimEnd(_ input: [UInt8], at index: Int) -> Int? {
        for marker in verbatimMarkers where input.hasPrefix(marker.open, at: index) {
            let close = marker.close
            var end = index + marker.open.count
            while end < input.count, !input.hasPrefix(close, at: end) { end += 1 }
            return min(end + close.count, input.count)
        }
        return nil
    }

    /// Copies a start or end tag starting at `index` with its repairs, and
    /// returns the index after it. When `<` does not start a tag, copies `<`
    /// alone and returns to text.
    private static func repairTag(_ input: [UInt8], at index: Int, into output: inout [UInt8]) -> Int {
        output.append(Byte.open)
        var position = index + 1
        if position < input.count, input[position] == Byte.slash {
            output.append(Byte.slash)
            position += 1
        }
        var nameStart = position
        while nameStart < input.count, input[nameStart] == Byte.space || input[nameStart] == Byte.tab {
            nameStart += 1
        }
        if nameStart > position {
            guard knownName(input, at: nameStart) else { return position }
            position = nameStart
        }
        return copyTagBody(input, from: position, into: &output)
    }

    /// Whether a known element name, followed by a non-name byte, starts at `index`.
    private static func knownName(_ input: [UInt8], at index: Int) -> Bool {
        var end = index
        while end < input.count, Byte.isNameByte(input[end]) { end += 1 }
        guard end > index, end - index <= 32 else { return false }
        let name = String(decoding: input[index..<end], as: UTF8.self).lowercased()
        return knownElements.contains(name)
    }

    /// Copies the rest of a tag up to and including `>`, straightening
    /// typographic quotes around attribute values.
    private static func copyTagBody(_ input: [UInt8], from start: Int, into output: inout [UInt8]) -> Int {
        var position = start
        var quote: UInt8?  // the straight quote that closes the current value
        var curly = false  // the current value was opened by a curly quote
        while position < input.count {
            let byte = input[position]
            let curlyHere = Byte.isCurlyQuote(input, at: position)
            if quote == nil, !curly {
                if byte == Byte.close { output.append(byte); return position + 1 }
                if byte == Byte.open { return position }  // broken tag: recover mode's job
                if byte == Byte.quote || byte == Byte.apostrophe {
                    quote = byte
                } else if curlyHere {
                    curly = true
                    output.append(Byte.quote)
                    position += 3
                    continue
                }
                output.append(byte)
                position += 1
                continue
            }
            let closes = curly ? (curlyHere || byte == Byte.quote) : byte == quote
            if closes {
                output.append(curly ? Byte.quote : byte)
                position += curlyHere ? 3 : 1
                quote = nil
                curly = false
                if position < input.count, Byte.isNameStart(input[position]) { output.append(Byte.space) }
                continue
            }
            output.append(byte)
            position += 1
        }
        return position
    }
}
