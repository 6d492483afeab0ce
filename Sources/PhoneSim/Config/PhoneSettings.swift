/// A simulated phone's configuration: dot keys (`sip.line.1.RegisterAddr`)
/// to values, as the phone's flash would hold them. Lookups by exact key or
/// by a prefix ending in `.` (`sip.line.1.`), `.` alone meaning all.
public struct PhoneSettings: Sendable, Equatable {
    private(set) var values: [String: String] = [:]

    public init(_ items: [(key: String, value: String)] = []) {
        for item in items { values[item.key] = item.value }
    }

    /// The value of one exact key, `nil` when unset.
    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// Whether `key` asks for a subtree: `.` or anything ending in `.`.
    public static func isPrefix(_ key: String) -> Bool { key.hasSuffix(".") }

    /// Every item under `prefix` (`.` = all), sorted by key.
    public func items(under prefix: String) -> [(key: String, value: String)] {
        values.filter { Self.key($0.key, isUnder: prefix) }
            .sorted { $0.key < $1.key }
            .map { (key: $0.key, value: $0.value) }
    }

    /// Applies items in order (later ones win).
    public mutating func apply(_ items: [(key: String, value: String)]) {
        for item in items { values[item.key] = item.value }
    }

    /// Removes one key, or every key under a prefix ending in `.`.
    /// Returns how many keys went.
    @discardableResult
    public mutating func delete(_ key: String) -> Int {
        guard Self.isPrefix(key) else { return values.removeValue(forKey: key) == nil ? 0 : 1 }
        let doomed = values.keys.filter { Self.key($0, isUnder: key) }
        for name in doomed { values.removeValue(forKey: name) }
        return doomed.count
    }

    /// The line numbers N that have any `sip.line.N.*` key, ascending.
    public var lineNumbers: [Int] {
        Set(values.keys.compactMap(Self.lineNumber(of:))).sorted()
    }

    /// N for a key `sip.line.N.something`, else `nil`.
    public static func lineNumber(of key: String) -> Int? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0] == "sip", parts[1] == "line", let n = Int(parts[2]), n > 0 else { return nil }
        return n
    }

    static func key(_ key: String, isUnder prefix: String) -> Bool {
        prefix == "." || key.hasPrefix(prefix)
    }
}
