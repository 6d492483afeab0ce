import SafeText

/// Rendered dot-key text (`key = value` per line) read back as items, the
/// way a push is built from `push/*.cfg.mustache`: one line is one item.
///
/// Everything works on Unicode scalars, not `Character`s: lines end at LF
/// only (a CR before it is dropped), whatever `Character.isNewline` says,
/// and the first `=` scalar splits key from value even when a combining mark
/// follows it. Values were checked by `RenderValueCheck`, so a line holding
/// any other break or control character came from the template text itself,
/// and is refused rather than pushed. Spaces and tabs around key and value
/// are trimmed (the phone trims them too). `#` lines and blank lines are
/// skipped; a key may appear once.
enum DotKeyItems {
    typealias Scalars = Substring.UnicodeScalarView

    static func parse(_ text: String, template: String) throws(RenderError) -> [(key: String, value: String)] {
        var items: [(key: String, value: String)] = []
        var seen = Set<String>()
        for (number, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ message: String) -> RenderError { .pushLine(template: template, line: number + 1, message: message) }
            let line = trimmed(rawLine.last == "\r" ? rawLine.dropLast() : rawLine)
            guard let first = line.first, first != "#" else { continue }
            if let violation = line.lazy.filter({ $0 != "\t" }).compactMap(ValueSafety.violation).first {
                throw fail(violation.description)
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail("expected key = value") }
            let key = String(String.UnicodeScalarView(trimmed(line[..<equals])))
            guard !key.isEmpty, !key.unicodeScalars.contains(where: isBlank) else {
                throw fail("expected a key without spaces before =")
            }
            guard seen.insert(key).inserted else { throw fail("\(key) is set twice") }
            let value = String(String.UnicodeScalarView(trimmed(line[line.index(after: equals)...])))
            items.append((key, value))
        }
        return items
    }

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    /// Without leading and trailing spaces and tabs (ASCII only: a value may
    /// end in U+00A0 or U+3000 and keeps it).
    static func trimmed<S: BidirectionalCollection<Unicode.Scalar>>(_ scalars: S) -> S.SubSequence {
        var rest = scalars[...]
        while let first = rest.first, isBlank(first) { rest = rest.dropFirst() }
        while let last = rest.last, isBlank(last) { rest = rest.dropLast() }
        return rest
    }
}
