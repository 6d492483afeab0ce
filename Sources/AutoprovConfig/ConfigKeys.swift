/// A coding key for any string, used to see every key a mapping holds.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws when the mapping holds a key not in `known`: a typo in a
    /// config file is an error naming the key, not a silent default.
    func rejectUnknownKeys(_ known: [String]) throws {
        let container = try container(keyedBy: AnyKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "unknown key \"\(key.stringValue)\"; expected one of: \(known.joined(separator: ", "))")
        }
    }
}

/// Renders a coding path as `dhcp.subnets[0].pools[1]`.
func keyPath(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue, key.stringValue == String(index) || key.stringValue.hasPrefix("Index") {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return text.isEmpty ? "(top level)" : text
}
