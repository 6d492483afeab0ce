/// The options of one message: code → raw bytes.
///
/// Repeated occurrences of a code are concatenated on decode (RFC 3396 §5),
/// unknown codes are kept byte for byte, and encoding is deterministic
/// (ascending code, option 82 last, see `DHCPMessage.encode`).
///
/// Storage is two arrays whatever the number of options: the values back
/// to back, and a small index of (code, start, length) in insertion order.
/// Typed getters and setters read and write the storage in place, so the
/// hot path does not allocate per option.
public struct DHCPOptions: Hashable, Sendable {
    struct Slot: Hashable, Sendable {
        var code: UInt8
        var start: Int32
        var count: Int32
    }

    private(set) var storage: [UInt8] = []
    private(set) var slots: [Slot] = []

    public init() {}

    public init(_ pairs: [(OptionCode, [UInt8])]) {
        for (code, value) in pairs { append(code, value) }
    }

    /// Reserves room for `options` options holding `bytes` bytes in all.
    public mutating func reserve(options: Int, bytes: Int) {
        slots.reserveCapacity(options)
        storage.reserveCapacity(bytes)
    }

    public var isEmpty: Bool { slots.isEmpty }
    public var count: Int { slots.count }

    private func slotIndex(_ code: OptionCode) -> Int? {
        for i in slots.indices where slots[i].code == code.rawValue { return i }
        return nil
    }

    /// The value of `code` without copying it.
    public func value(_ code: OptionCode) -> ArraySlice<UInt8>? {
        guard let i = slotIndex(code) else { return nil }
        let slot = slots[i]
        return storage[Int(slot.start)..<Int(slot.start + slot.count)]
    }

    /// Every option in insertion order (allocates; for inspection and tests).
    public var entries: [(code: OptionCode, value: [UInt8])] {
        slots.map { (OptionCode($0.code), Array(storage[Int($0.start)..<Int($0.start + $0.count)])) }
    }

    /// Calls `body` for each option in the order `areInIncreasingOrder` gives,
    /// with the value as a slice of the storage.
    func forEachSorted(
        by areInIncreasingOrder: (UInt8, UInt8) -> Bool, _ body: (UInt8, ArraySlice<UInt8>) -> Void
    ) {
        for slot in slots.sorted(by: { areInIncreasingOrder($0.code, $1.code) }) {
            body(slot.code, storage[Int(slot.start)..<Int(slot.start + slot.count)])
        }
    }

    public subscript(code: OptionCode) -> [UInt8]? {
        get { value(code).map(Array.init) }
        set {
            if let newValue { replace(code, with: newValue) } else { remove(code) }
        }
    }

    public func contains(_ code: OptionCode) -> Bool { slotIndex(code) != nil }

    /// Sets `code` to `value`, replacing any earlier value.
    public mutating func replace(_ code: OptionCode, with value: [UInt8]) { replace(code, with: value[...]) }

    /// Sets `code` to `value`, replacing any earlier value.
    public mutating func replace(_ code: OptionCode, with value: ArraySlice<UInt8>) {
        let length = Int32(value.count)
        if let i = slotIndex(code) {
            if slots[i].count == length {
                let start = Int(slots[i].start)
                storage.replaceSubrange(start..<(start + Int(length)), with: value)
                return
            }
            slots[i] = Slot(code: code.rawValue, start: Int32(storage.count), count: length)
        } else {
            slots.append(Slot(code: code.rawValue, start: Int32(storage.count), count: length))
        }
        storage.append(contentsOf: value)
    }

    /// Adds `value` to `code`, concatenating with an earlier occurrence (RFC 3396).
    public mutating func append(_ code: OptionCode, _ value: some Collection<UInt8>) {
        guard let i = slotIndex(code) else {
            slots.append(Slot(code: code.rawValue, start: Int32(storage.count), count: Int32(value.count)))
            storage.append(contentsOf: value)
            return
        }
        let slot = slots[i]
        if Int(slot.start + slot.count) != storage.count {
            // Not at the end: move the earlier part to the end first.
            storage.reserveCapacity(storage.count + Int(slot.count) + value.count)
            let earlier = Array(storage[Int(slot.start)..<Int(slot.start + slot.count)])
            slots[i].start = Int32(storage.count)
            storage.append(contentsOf: earlier)
        }
        storage.append(contentsOf: value)
        slots[i].count += Int32(value.count)
    }

    public mutating func remove(_ code: OptionCode) {
        if let i = slotIndex(code) { slots.remove(at: i) }
    }

    public static func == (lhs: DHCPOptions, rhs: DHCPOptions) -> Bool {
        guard lhs.slots.count == rhs.slots.count else { return false }
        for slot in lhs.slots {
            let code = OptionCode(slot.code)
            guard let other = rhs.value(code), other.elementsEqual(lhs.value(code)!) else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        forEachSorted(by: <) { code, value in
            hasher.combine(code)
            hasher.combine(value.count)
            for byte in value { hasher.combine(byte) }
        }
    }
}

// MARK: - Typed values

extension DHCPOptions {
    public func ipv4(_ code: OptionCode) -> IPv4Address? {
        guard let v = value(code), v.count == 4 else { return nil }
        let i = v.startIndex
        return IPv4Address(v[i], v[i + 1], v[i + 2], v[i + 3])
    }

    public func ipv4List(_ code: OptionCode) -> [IPv4Address] {
        guard let v = value(code), v.count % 4 == 0 else { return [] }
        return stride(from: v.startIndex, to: v.endIndex, by: 4).map { IPv4Address(v[$0], v[$0 + 1], v[$0 + 2], v[$0 + 3]) }
    }

    public func uint32(_ code: OptionCode) -> UInt32? {
        guard let v = value(code), v.count == 4 else { return nil }
        let i = v.startIndex
        return UInt32(v[i]) << 24 | UInt32(v[i + 1]) << 16 | UInt32(v[i + 2]) << 8 | UInt32(v[i + 3])
    }

    public func uint16(_ code: OptionCode) -> UInt16? {
        guard let v = value(code), v.count == 2 else { return nil }
        return UInt16(v[v.startIndex]) << 8 | UInt16(v[v.startIndex + 1])
    }

    /// The value decoded as UTF-8 (lossy), trailing NULs removed.
    public func string(_ code: OptionCode) -> String? {
        guard var v = value(code) else { return nil }
        while v.last == 0 { v.removeLast() }
        return String(decoding: v, as: UTF8.self)
    }

    /// True when option 55 lists `code`.
    public func requests(_ code: OptionCode) -> Bool {
        value(.parameterRequestList)?.contains(code.rawValue) ?? false
    }

    public mutating func set(_ code: OptionCode, ipv4: IPv4Address) { set(code, uint32: ipv4.value) }

    public mutating func set(_ code: OptionCode, ipv4List: [IPv4Address]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ipv4List.count * 4)
        for address in ipv4List { Self.append32(address.value, to: &bytes) }
        replace(code, with: bytes)
    }

    public mutating func set(_ code: OptionCode, uint32: UInt32) {
        let at = slotForWrite(code, length: 4)
        storage[at] = UInt8(uint32 >> 24)
        storage[at + 1] = UInt8(uint32 >> 16 & 0xFF)
        storage[at + 2] = UInt8(uint32 >> 8 & 0xFF)
        storage[at + 3] = UInt8(uint32 & 0xFF)
    }

    public mutating func set(_ code: OptionCode, uint16: UInt16) {
        let at = slotForWrite(code, length: 2)
        storage[at] = UInt8(uint16 >> 8)
        storage[at + 1] = UInt8(uint16 & 0xFF)
    }

    public mutating func set(_ code: OptionCode, byte: UInt8) {
        storage[slotForWrite(code, length: 1)] = byte
    }

    public mutating func set(_ code: OptionCode, string: String) { replace(code, with: Array(string.utf8)) }

    /// Makes room for `length` bytes of `code` (its old place when the length
    /// matches, else new room at the end) and returns where they start.
    private mutating func slotForWrite(_ code: OptionCode, length: Int) -> Int {
        if let i = slotIndex(code), slots[i].count == Int32(length) { return Int(slots[i].start) }
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: length))
        let slot = Slot(code: code.rawValue, start: Int32(start), count: Int32(length))
        if let i = slotIndex(code) { slots[i] = slot } else { slots.append(slot) }
        return start
    }

    static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 24)); bytes.append(UInt8(value >> 16 & 0xFF))
        bytes.append(UInt8(value >> 8 & 0xFF)); bytes.append(UInt8(value & 0xFF))
    }
}
