/// A bounds-checked reader over a byte buffer. Every read either returns the
/// bytes asked for or throws `DHCPDecodeError.truncated`; nothing traps.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var index: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.index = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - index) }
    var isAtEnd: Bool { index >= end }

    mutating func uint8(_ field: String) throws(DHCPDecodeError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(field: field, needed: 1, available: remaining) }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func uint16(_ field: String) throws(DHCPDecodeError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(field: field, needed: 2, available: remaining) }
        defer { index += 2 }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    mutating func uint32(_ field: String) throws(DHCPDecodeError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(field: field, needed: 4, available: remaining) }
        defer { index += 4 }
        return UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16
            | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    mutating func take(_ count: Int, _ field: String) throws(DHCPDecodeError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw .truncated(field: field, needed: count, available: remaining)
        }
        defer { index += count }
        return bytes[index..<(index + count)]
    }
}
