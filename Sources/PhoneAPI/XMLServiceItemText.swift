/// The text of one `<Item>`: `key = value`, as phones write it.
///
/// Phones pad around `=` and the vendor guide even shows a space inside a key
/// (`info. dev.Model = X6`), so keys lose every whitespace character and
/// values are trimmed. The split is at the first `=`, so values may contain
/// `=` (passwords, URLs with queries).
enum XMLServiceItemText {
    /// The key and value of an item's text; a text without `=` is a key with an
    /// empty value. `nil` when the key is empty (`<Item/>`, `<Item> = 1</Item>`).
    static func split(_ text: String) -> (key: String, value: String)? {
        let key: String
        let value: String
        if let equals = text.firstIndex(of: "=") {
            key = normalisedKey(text[..<equals])
            value = trimmed(text[text.index(after: equals)...])
        } else {
            key = normalisedKey(text[...])
            value = ""
        }
        return key.isEmpty ? nil : (key, value)
    }

    /// The key with every whitespace character removed.
    static func normalisedKey(_ raw: Substring) -> String {
        String(raw.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }

    /// The text without leading or trailing whitespace (newlines included).
    static func trimmed(_ raw: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = raw.firstIndex(where: { !isSpace($0) }),
              let last = raw.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(raw[first...last])
    }
}
