/// The bytes `XMLReplyRepair` looks at.
enum Byte {
    static let open = UInt8(ascii: "<")
    static let close = UInt8(ascii: ">")
    static let slash = UInt8(ascii: "/")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")

    /// ASCII letters and `_`: how an attribute or element name starts.
    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    /// ASCII name bytes: letters, digits, `_`, `-`, `.`, `:`.
    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    /// U+201C “ or U+201D ” in UTF-8 (E2 80 9C, E2 80 9D) at `index`.
    static func isCurlyQuote(_ input: [UInt8], at index: Int) -> Bool {
        index + 2 < input.count && input[index] == 0xE2 && input[index + 1] == 0x80
            && (input[index + 2] == 0x9C || input[index + 2] == 0x9D)
    }
}

extension Array where Element == UInt8 {
    /// Whether `prefix` occurs at `index`.
    func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= count else { return false }
        return self[index..<(index + prefix.count)].elementsEqual(prefix)
    }
}
