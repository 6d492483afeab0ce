/// The header fields of a SIP message, in wire order. Names keep the
/// spelling they arrived with; lookups are case-insensitive and treat the
/// compact forms of RFC 3261 §7.3.3 (`v i f t m l c k s e`) and of
/// RFC 6665 (`o` Event, `u` Allow-Events) as their long names.
public struct SIPHeaders: Sendable, Hashable, Sequence {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The lowercased long name of `name` (`"i"` and `"CALL-ID"` give `"call-id"`).
    public static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        switch lower {
        case "v": return "via"
        case "i": return "call-id"
        case "f": return "from"
        case "t": return "to"
        case "m": return "contact"
        case "l": return "content-length"
        case "c": return "content-type"
        case "k": return "supported"
        case "s": return "subject"
        case "e": return "content-encoding"
        case "o": return "event"
        case "u": return "allow-events"
        default: return lower
        }
    }

    /// The first value of `name`, or nil.
    public subscript(_ name: String) -> String? {
        let key = Self.canonical(name)
        return fields.first { Self.canonical($0.name) == key }?.value
    }

    /// Every value of `name`, in order (one per header line).
    public func values(_ name: String) -> [String] {
        let key = Self.canonical(name)
        return fields.filter { Self.canonical($0.name) == key }.map(\.value)
    }

    /// Appends a field (headers such as Via may repeat).
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of `name` with one, placed where the first was
    /// (or at the end).
    public mutating func set(_ name: String, _ value: String) {
        let key = Self.canonical(name)
        if let first = fields.firstIndex(where: { Self.canonical($0.name) == key }) {
            fields[first] = Field(name: name, value: value)
            var index = fields.index(after: first)
            while index < fields.endIndex {
                if Self.canonical(fields[index].name) == key { fields.remove(at: index) } else { index += 1 }
            }
        } else {
            add(name, value)
        }
    }

    /// Removes every field of `name`.
    public mutating func remove(_ name: String) {
        let key = Self.canonical(name)
        fields.removeAll { Self.canonical($0.name) == key }
    }
}
