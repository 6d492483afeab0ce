/// The options of one message: code → raw bytes.
///
/// Repeated occurrences of a code are concatenated on decode (RFC 3396 §5),
/// unknown codes are kept byte for byte, and encoding is deterministic
/// (ascending code, option 82 last, see `DHCPMessage.encode`).
public struct DHCPOptions: Hashable, Sendable {
    /// Insertion-ordered entries; at most one per code.
    public private(set) var entries: [(code: OptionCode, value: [UInt8])] = []

    public init() {}

    public init(_ pairs: [(OptionCode, [UInt8])]) {
        for (code, value) in pairs { append(code, value) }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    public subscript(code: OptionCode) -> [UInt8]? {
        get {
            for entry in entries where entry.code == code { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.code == code }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((code, newValue))
            }
        }
    }

    public func contains(_ code: OptionCode) -> Bool { entries.contains { $0.code == code } }

    /// Adds `value` to `code`, concatenating with an earlier occurrence (RFC 3396).
    public mutating func append(_ code: OptionCode, _ value: some Collection<UInt8>) {
        if let index = entries.firstIndex(where: { $0.code == code }) {
            entries[index].value.append(contentsOf: value)
        } else {
            entries.append((code, Array(value)))
        }
    }

    public mutating func remove(_ code: OptionCode) { self[code] = nil }

    public static func == (lhs: DHCPOptions, rhs: DHCPOptions) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for entry in lhs.entries where rhs[entry.code] != entry.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries.sorted(by: { $0.code < $1.code }) {
            hasher.combine(entry.code)
            hasher.combine(entry.value)
        }
    }
}

// MARK: - Typed values

extension DHCPOptions {
    public func ipv4(_ code: OptionCode) -> IPv4Address? {
        guard let v = self[code], v.count == 4 else { return nil }
        return IPv4Address(v[0], v[1], v[2], v[3])
    }

    public func ipv4List(_ code: OptionCode) -> [IPv4Address] {
        guard let v = self[code], v.count % 4 == 0 else { return [] }
        return stride(from: 0, to: v.count, by: 4).map { IPv4Address(v[$0], v[$0 + 1], v[$0 + 2], v[$0 + 3]) }
    }

    public func uint32(_ code: OptionCode) -> UInt32? {
        guard let v = self[code], v.count == 4 else { return nil }
        return UInt32(v[0]) << 24 | UInt32(v[1]) << 16 | UInt32(v[2]) << 8 | UInt32(v[3])
    }

    public func uint16(_ code: OptionCode) -> UInt16? {
        guard let v = self[code], v.count == 2 else { return nil }
        return UInt16(v[0]) << 8 | UInt16(v[1])
    }

    /// The value decoded as UTF-8 (lossy), trailing NULs removed.
    public func string(_ code: OptionCode) -> String? {
        guard var v = self[code] else { return nil }
        while v.last == 0 { v.removeLast() }
        return String(decoding: v, as: UTF8.self)
    }

    public mutating func set(_ code: OptionCode, ipv4: IPv4Address) { self[code] = ipv4.bytes }
    public mutating func set(_ code: OptionCode, ipv4List: [IPv4Address]) { self[code] = ipv4List.flatMap(\.bytes) }
    public mutating func set(_ code: OptionCode, uint32: UInt32) {
        self[code] = [UInt8(uint32 >> 24), UInt8(uint32 >> 16 & 0xFF), UInt8(uint32 >> 8 & 0xFF), UInt8(uint32 & 0xFF)]
    }
    public mutating func set(_ code: OptionCode, uint16: UInt16) { self[code] = [UInt8(uint16 >> 8), UInt8(uint16 & 0xFF)] }
    public mutating func set(_ code: OptionCode, string: String) { self[code] = Array(string.utf8) }
}
